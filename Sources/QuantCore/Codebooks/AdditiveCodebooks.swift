/// An additively quantized weight (AQLM): each group of `groupSize` input channels of row `o` is
/// `s_o · Σ_m C_m[codes[o, j, m]]`, a sum of one vector from each of M codebooks times a per-row scale.
///
/// ```swift
/// let w = layer.decoded()             // Ŵ [rows, cols]
/// let y = layer.multiply(x)           // Ŵ·x through a lookup table, without decoding
/// ```
public struct AdditiveCodebooks<Scalar: BLASScalar>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// M.
    public let codebookCount: Int
    /// B: each codebook has `2^bits` entries.
    public let bits: Int
    /// g: input channels per group.
    public let groupSize: Int
    /// `[rows, cols/g, M]` row-major, each in 0…2^bits−1.
    public var codes: [UInt16]
    /// `[M, 2^bits, g]` row-major.
    public var codebooks: [Scalar]
    /// One scale per output row.
    public var scales: [Scalar]

    public init(rows: Int, cols: Int, codebookCount: Int, bits: Int, groupSize: Int,
                codes: [UInt16], codebooks: [Scalar], scales: [Scalar]) {
        precondition(groupSize > 0 && cols % groupSize == 0, "cols must split into whole groups")
        precondition((1...16).contains(bits) && codebookCount > 0)
        precondition(codes.count == rows * (cols / groupSize) * codebookCount, "codes must be [rows, cols/g, M]")
        precondition(codebooks.count == codebookCount * (1 << bits) * groupSize, "codebooks must be [M, 2^B, g]")
        precondition(scales.count == rows, "one scale per row")
        self.rows = rows
        self.cols = cols
        self.codebookCount = codebookCount
        self.bits = bits
        self.groupSize = groupSize
        self.codes = codes
        self.codebooks = codebooks
        self.scales = scales
    }

    /// Entries per codebook, `2^bits`.
    public var codebookSize: Int { 1 << bits }
    /// Groups per row, `cols / g`.
    public var groupsPerRow: Int { cols / groupSize }
    /// The scheme name, e.g. `2x8g8`.
    public var scheme: String { "\(codebookCount)x\(bits)g\(groupSize)" }

    /// Ŵ `[rows, cols]`.
    public func decoded() -> Matrix<Scalar> {
        var m = Matrix<Scalar>(rows: rows, cols: cols)
        m.storage.withUnsafeMutableBufferPointer { out in
            decode(into: out.baseAddress!, scaled: true)
        }
        return m
    }

    /// Writes Ŵ (or Ŵ without the row scales, `Σ_m C_m[code]`) into a `rows × cols` buffer.
    @_specialize(where Scalar == Float)
    func decode(into out: UnsafeMutablePointer<Scalar>, scaled: Bool) {
        let g = groupSize, groups = groupsPerRow, mc = codebookCount, k = codebookSize
        codes.withUnsafeBufferPointer { cd in
            codebooks.withUnsafeBufferPointer { cb in
                for o in 0..<rows {
                    let s = scaled ? scales[o] : 1
                    for j in 0..<groups {
                        let dst = out + o * cols + j * g
                        for a in 0..<g { dst[a] = 0 }
                        let slot = (o * groups + j) * mc
                        for m in 0..<mc {
                            let src = cb.baseAddress! + (m * k + Int(cd[slot + m])) * g
                            for a in 0..<g { dst[a] += src[a] }
                        }
                        if scaled { for a in 0..<g { dst[a] *= s } }
                    }
                }
            }
        }
    }

    /// `Ŵ·x` without decoding: `lut[j, m, c] = ⟨x_j, C_m[c]⟩` once, then
    /// `y_o = s_o Σ_j Σ_m lut[j, m, codes[o, j, m]]` (the reference CPU kernel).
    @_specialize(where Scalar == Float)
    public func multiply(_ x: [Scalar]) -> [Scalar] {
        precondition(x.count == cols)
        let g = groupSize, groups = groupsPerRow, mc = codebookCount, k = codebookSize
        // lut[j, m·K + c] = (X [groups, g]) · (C [M·K, g])ᵀ, one GEMM.
        var lut = [Scalar](repeating: 0, count: groups * mc * k)
        x.withUnsafeBufferPointer { xp in
            codebooks.withUnsafeBufferPointer { cb in
                lut.withUnsafeMutableBufferPointer { l in
                    Scalar.gemm(transA: false, transB: true, m: groups, n: mc * k, k: g, alpha: 1,
                                a: xp.baseAddress!, lda: g, b: cb.baseAddress!, ldb: g, beta: 0, c: l.baseAddress!, ldc: mc * k)
                }
            }
        }
        var y = [Scalar](repeating: 0, count: rows)
        codes.withUnsafeBufferPointer { cd in
            lut.withUnsafeBufferPointer { l in
                for o in 0..<rows {
                    var acc: Scalar = 0
                    var slot = o * groups * mc
                    for j in 0..<groups {
                        let base = j * mc * k
                        for m in 0..<mc {
                            acc += l[base + m * k + Int(cd[slot])]
                            slot += 1
                        }
                    }
                    y[o] = scales[o] * acc
                }
            }
        }
        return y
    }

    /// Code histograms, one per codebook.
    public func usage() -> [CodebookUsage] {
        let mc = codebookCount
        return (0..<mc).map { m in CodebookUsage(codes: stride(from: m, to: codes.count, by: mc).lazy.map { codes[$0] }, bits: bits) }
    }

    /// Storage cost per weight, see ``bitsPerParameter(rows:cols:codebooks:bits:groupSize:)``.
    public var bitsPerWeight: Double {
        Self.bitsPerParameter(rows: rows, cols: cols, codebooks: codebookCount, bits: bits, groupSize: groupSize)
    }

    /// The reference `estimate_nbits_per_parameter` (fp16 codebooks and per-row scales):
    /// `[out·in/g·M·B + M·2^B·g·16 + out·16] / (out·in)`.
    public static func bitsPerParameter(rows: Int, cols: Int, codebooks: Int, bits: Int, groupSize: Int) -> Double {
        let n = Double(rows) * Double(cols)
        let codeBits = n / Double(groupSize) * Double(codebooks * bits)
        let codebookBits = Double(codebooks) * Double(1 << bits) * Double(groupSize) * 16
        return (codeBits + codebookBits + Double(rows) * 16) / n
    }
}
