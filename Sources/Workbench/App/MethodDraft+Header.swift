import TUIKit
import QuantCore

extension MethodDraft {
    /// The method as the header names it: `quantease · 3 bit · g128`, `quantease-outlier · 3 bit · outliers 1.00%`,
    /// or for AQLM, which has no grid bit width, its scheme and the bits per weight on a `rows × cols` layer
    /// (nominal M·B/g without one): `aqlm 2x8 g8 · 2.07 bits/w`.
    func headerFacts(rows: Int?, cols: Int?) -> [String] {
        if kind == .aqlm {
            guard case let .aqlm(o)? = try? build() else { return [kind.rawValue, "invalid settings"] }
            let layerBits = rows.flatMap { r in cols.flatMap { effectiveBits(rows: r, cols: $0) } }
            let bits = layerBits ?? Double(o.codebooks * o.bits) / Double(o.groupSize)
            return ["\(kind.rawValue) \(o.codebooks)x\(o.bits) g\(o.groupSize)", Text.fixed(bits, 2) + " bits/w"]
        }
        var facts = [kind.rawValue, "\(bits) bit"]
        if applicableSettings.contains(where: { $0.key == "group_size" }) && groupSize != -1 { facts.append("g\(groupSize)") }
        if kind == .quanteaseOutlier { facts.append("outliers " + Text.fixed(outlierFraction * 100, 2) + "%") }
        return facts
    }
}
