/// The per-row (or per-row-and-group) uniform grids of a quantized layer.
///
/// Group `g` of row `r` has `scale[g * rows + r]` and integer zero point `zero[g * rows + r]`;
/// input column `c` uses group `groupIndex[c]` (GPTQ's `g_idx`). A value maps to
/// `scale · (clamp(round(x / scale) + zero, 0, maxq) − zero)`, rounding half to even.
public struct QuantGrid<Scalar: BLASScalar>: Sendable, Equatable {
    public let bits: Int
    public let rows: Int
    public var scales: [Scalar]
    public var zeros: [Scalar]
    /// Group of each input column, in the layer's original column order.
    public var groupIndex: [Int32]

    public init(bits: Int, rows: Int, scales: [Scalar], zeros: [Scalar], groupIndex: [Int32]) {
        precondition(scales.count == zeros.count && scales.count % max(rows, 1) == 0)
        self.bits = bits
        self.rows = rows
        self.scales = scales
        self.zeros = zeros
        self.groupIndex = groupIndex
    }

    public var maxCode: Int { (1 << bits) - 1 }
    public var groupCount: Int { rows == 0 ? 0 : scales.count / rows }

    /// The integer code of `x` in row `row`, column `col`.
    @inlinable
    public func code(_ x: Scalar, row: Int, col: Int) -> UInt8 {
        let g = Int(groupIndex[col]) * rows + row
        return GridMath.code(x, scale: scales[g], zero: zeros[g], maxq: Scalar(maxCode))
    }

    /// The value that `code` stands for in row `row`, column `col`.
    @inlinable
    public func value(_ code: UInt8, row: Int, col: Int) -> Scalar {
        let g = Int(groupIndex[col]) * rows + row
        return scales[g] * (Scalar(code) - zeros[g])
    }
}

/// The scalar arithmetic of the reference quantizer (GPTQ `quant.py`), shared by every solver.
public enum GridMath {
    /// `clamp(round(x / scale) + zero, 0, maxq)`, half to even, as an integer code; NaN (from weights that
    /// overflow the grid arithmetic) gives code 0 rather than a trap, and the solved layer is refused later.
    @inlinable @inline(__always)
    public static func code<S: BLASScalar>(_ x: S, scale: S, zero: S, maxq: S) -> UInt8 {
        let q = (x / scale).rounded(.toNearestOrEven) + zero
        return UInt8(q >= 0 ? (q <= maxq ? q : maxq) : 0)
    }

    /// Rounds `values` (one entry per row) onto the grids `scale`/`zero` in place; writes the codes to
    /// `codes` when given and returns how many of them differ from what `codes` held before.
    @inlinable
    @discardableResult
    public static func quantize<S: BLASScalar>(_ values: UnsafeMutablePointer<S>, count: Int,
                                               scale: UnsafePointer<S>, zero: UnsafePointer<S>, maxq: S,
                                               codes: UnsafeMutablePointer<UInt8>?) -> Int {
        var changed = 0
        for r in 0..<count {
            let c = code(values[r], scale: scale[r], zero: zero[r], maxq: maxq)
            values[r] = scale[r] * (S(c) - zero[r])
            if let codes {
                if codes[r] != c { changed += 1 }
                codes[r] = c
            }
        }
        return changed
    }
}
