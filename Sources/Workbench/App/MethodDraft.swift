import TUIKit
import QuantCore

/// The method being edited in the workbench: every setting the engine's solvers accept, kept as plain
/// values so a half-edited combination never traps; `build()` validates it into a `LayerMethod`.
public struct MethodDraft: Sendable, Equatable {
    /// Which solver.
    public enum Kind: String, Sendable, CaseIterable {
        case rtn, gptq, quantease, quanteaseOutlier = "quantease-outlier", aqlm

        var next: Kind { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }
        var previous: Kind { Self.allCases[(Self.allCases.firstIndex(of: self)! + Self.allCases.count - 1) % Self.allCases.count] }
    }

    public var kind: Kind = .quantease
    public var bits = 3
    public var groupSize = -1
    public var symmetric = false
    public var mseSearch = false
    // GPTQ (and the GPTQ start of QuantEase)
    public var blockSize = 128
    public var damping = 0.01
    public var actOrder = false
    public var staticGroups = false
    public var freshGroupGrids = false
    // QuantEase
    public var sweeps = 30
    public var schedule: SweepSchedule = .relaxed
    public var startFromGPTQ = true
    public var referenceSweeps = false
    // Outlier-aware QuantEase
    public var outlierFraction = 0.01
    public var structure: OutlierStructure = .unstructured
    public var alpha = 1.0
    // AQLM
    public var codebooks = 2
    public var codebookBits = 8
    public var codebookGroupSize = 8
    public var beamSize = 1
    public var maxEpochs = 1000
    public var stepsPerEpoch = 100
    public var codebookUpdate: CodebookUpdate = .adam
    public var reseedDeadCodes = false
    /// The method `c` compares against.
    public var compareWith: Kind = .gptq

    public init() {}

    /// The draft of an existing method (a recipe's), with the rest at defaults.
    public init(_ method: LayerMethod) {
        if let g = method.grid { (bits, groupSize, symmetric, mseSearch) = (g.bits, g.groupSize, g.symmetric, g.mseSearch) }
        switch method {
        case .rtn: kind = .rtn; compareWith = .gptq
        case let .gptq(o):
            kind = .gptq
            (blockSize, damping, actOrder, staticGroups, freshGroupGrids) = (o.blockSize, o.dampingFraction, o.actOrder, o.staticGroups, o.freshGroupGrids)
            compareWith = .quantease
        case let .quantease(o):
            kind = .quantease
            (sweeps, schedule, actOrder) = (o.sweeps, o.schedule, o.actOrder)
            if case let .gptq(go) = o.initialization { startFromGPTQ = true; (blockSize, damping) = (go.blockSize, go.dampingFraction) } else { startFromGPTQ = false }
            if case let .blocked(b) = o.implementation { blockSize = b; referenceSweeps = false } else { referenceSweeps = true }
        case let .outlierQuantEase(o):
            kind = .quanteaseOutlier
            (outlierFraction, structure, sweeps, alpha, schedule, blockSize) = (o.fraction, o.structure, o.sweeps, o.alpha, o.schedule, o.blockSize)
            compareWith = .quantease
        case let .aqlm(o):
            kind = .aqlm
            (codebooks, codebookBits, codebookGroupSize, beamSize) = (o.codebooks, o.bits, o.groupSize, o.beamSize)
            (maxEpochs, stepsPerEpoch, codebookUpdate, reseedDeadCodes) = (o.maxEpochs, o.stepsPerEpoch, o.codebookUpdate, o.reseedDeadCodes)
            compareWith = .gptq
        }
    }

    /// The draft of a recipe's method; `c` compares with the kind of its first comparison method.
    public init(_ method: LayerMethod, comparedWith comparison: LayerMethod?) {
        self.init(method)
        if let comparison { compareWith = MethodDraft(comparison).kind }
    }

    /// The validated method, or the solver's own error naming the bad setting.
    public func build() throws -> LayerMethod {
        func grid() throws -> GridOptions { try GridOptions(bits: bits, symmetric: symmetric, groupSize: groupSize, mseSearch: mseSearch) }
        switch kind {
        case .rtn: return .rtn(try grid())
        case .gptq:
            return .gptq(try GPTQOptions(grid: try grid(), blockSize: blockSize, dampingFraction: damping, actOrder: actOrder,
                                         staticGroups: staticGroups, freshGroupGrids: freshGroupGrids))
        case .quantease:
            let g = try grid()
            let start: QuantEaseInit = startFromGPTQ ? .gptq(try GPTQOptions(grid: g, blockSize: blockSize, dampingFraction: damping)) : .weights
            return .quantease(try QuantEaseOptions(grid: g, sweeps: sweeps, schedule: schedule, initialization: start, actOrder: actOrder,
                                                   implementation: referenceSweeps ? .reference : .blocked(blockSize: blockSize)))
        case .quanteaseOutlier:
            return .outlierQuantEase(try OutlierQuantEaseOptions(grid: try grid(), fraction: outlierFraction, structure: structure, sweeps: sweeps,
                                                                 alpha: alpha, schedule: schedule, blockSize: blockSize))
        case .aqlm:
            return .aqlm(try AQLMOptions(codebooks: codebooks, bits: codebookBits, groupSize: codebookGroupSize, beamSize: beamSize,
                                         maxEpochs: maxEpochs, stepsPerEpoch: stepsPerEpoch, codebookUpdate: codebookUpdate,
                                         reseedDeadCodes: reseedDeadCodes))
        }
    }

    /// The same draft with another solver and everything else kept (for `c` compare).
    public func with(kind: Kind) -> MethodDraft {
        var d = self
        d.kind = kind
        if kind == .quanteaseOutlier { d.groupSize = -1 }
        return d
    }

    /// Storage bits per weight of a `rows × cols` layer: codes, grid scales and zeros, and 32 bits per
    /// full-precision outlier (value and index), as the engine's `bitsPerWeight` counts them; for AQLM the
    /// codes, fp16 codebooks and row scales. Nil when the settings are invalid or do not fit the layer.
    public func effectiveBits(rows: Int, cols: Int) -> Double? {
        guard rows > 0, cols > 0, let method = try? build() else { return nil }
        if case let .aqlm(o) = method, (try? o.check(columns: cols)) == nil { return nil }
        var b = method.effectiveBits(rows: rows, columns: cols)
        if case let .outlierQuantEase(o) = method {
            let weights = o.structure == .unstructured ? o.budget(rows: rows, cols: cols) : o.budget(rows: rows, cols: cols) * rows
            b += Double(weights) * 32 / Double(rows * cols)
        }
        return b
    }

    /// A short label: the method summary, or the fault when the settings are invalid.
    public var summary: String {
        do { return try build().summary } catch { return "invalid: \(error)" }
    }

    // MARK: steps the keys walk

    static let groupSizes = [-1, 32, 64, 128, 256]
    static let outlierSteps = [0, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05]
    static let dampingSteps = [0.001, 0.01, 0.05, 0.1]
    static let blockSizes = [32, 64, 128, 256]
    static let alphaSteps = [0.25, 0.5, 1, 1.5, 2]
    static let codebookGroupSizes = [4, 8, 16, 32]
    static let beamSizes = [1, 2, 4, 8, 16]
    static let epochSteps = [1, 2, 5, 10, 20, 50, 100, 1000]
    static let stepsPerEpochSteps = [0, 10, 20, 50, 100, 200]

    static func step<T: Equatable>(_ values: [T], from current: T, by delta: Int) -> T {
        let i = values.firstIndex(of: current) ?? 0
        return values[min(values.count - 1, max(0, i + delta))]
    }

    static func step(_ values: [Double], from current: Double, by delta: Int) -> Double {
        let i = values.enumerated().min { abs($0.element - current) < abs($1.element - current) }?.offset ?? 0
        return values[min(values.count - 1, max(0, i + delta))]
    }

    /// `+`/`−`: the grid's bit width, or for AQLM the bits per codebook.
    mutating func stepBits(_ d: Int) {
        if kind == .aqlm { codebookBits = min(16, max(1, codebookBits + d)) } else { bits = min(8, max(2, bits + d)) }
    }
    mutating func stepSweeps(_ d: Int) { sweeps = min(200, max(1, sweeps + d)) }
    mutating func stepOutliers(_ d: Int) { outlierFraction = Self.step(Self.outlierSteps, from: outlierFraction, by: d) }
    mutating func cycleGroupSize() {
        let i = Self.groupSizes.firstIndex(of: groupSize) ?? 0
        groupSize = Self.groupSizes[(i + 1) % Self.groupSizes.count]
    }
}
