import ModelKit
import QuantCore

/// A solved linear layer as an export sees it: where it sits in the checkpoint and what the solve left.
public struct ExportLayer: Sendable {
    public let linear: LinearLayer
    public let layer: QuantizedLayer<Float>
    /// The checkpoint's entry for the weight it replaces (its dtype is the one plain parts are written in).
    public let weightInfo: TensorInfo

    public init(linear: LinearLayer, layer: QuantizedLayer<Float>, weightInfo: TensorInfo) {
        self.linear = linear
        self.layer = layer
        self.weightInfo = weightInfo
    }

    /// The module's name in the checkpoint (its weight tensor's name without `.weight`), as configs list modules.
    public var moduleName: String { linear.moduleName }

    /// The grid layout (nil for a codebook layer).
    public var grid: GridLayout? { layer.codebooks == nil ? GridLayout(layer) : nil }
}

extension LinearLayer {
    /// The module's name: the weight tensor's name without `.weight`.
    var moduleName: String { tensorName.hasSuffix(".weight") ? String(tensorName.dropLast(7)) : tensorName }
}

/// The facts of a layer's uniform grid that formats care about, read from its tensors (not from settings).
public struct GridLayout: Sendable, Equatable {
    public let bits: Int
    /// Columns per group (the columns of group 0), or −1 for one grid per row.
    public let groupSize: Int
    /// Groups follow the activation order (`g_idx` is a permutation of the columns' groups), not column order.
    public let actOrder: Bool
    /// Every zero point is (2^bits)/2, the symmetric grid's.
    public let symmetric: Bool
    /// Some zero point is 0 (GPTQ v1 cannot store it).
    public let hasZeroOfZero: Bool
    /// Every zero point is an integer in 0…2^bits−1 (what integer formats store).
    public let integerZeros: Bool

    init(_ layer: QuantizedLayer<Float>) {
        let grid = layer.grid
        bits = grid.bits
        let groups = grid.groupCount
        let firstGroup = grid.groupIndex.lazy.filter { $0 == 0 }.count
        groupSize = groups <= 1 ? -1 : firstGroup
        actOrder = groups > 1 && !grid.groupIndex.indices.allSatisfy { Int(grid.groupIndex[$0]) == $0 / max(firstGroup, 1) }
        let half = Float(1 << (bits - 1))
        symmetric = grid.zeros.allSatisfy { $0 == half }
        hasZeroOfZero = grid.zeros.contains(0)
        integerZeros = grid.zeros.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= Float(grid.maxCode) }
    }
}
