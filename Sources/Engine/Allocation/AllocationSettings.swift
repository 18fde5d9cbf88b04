import QuantCore

/// A recipe's `allocate:` section: spend a mean bits/weight budget where it matters, choosing each layer's
/// configuration from `candidates` by measured error curves and sensitivities (`AllocationPlanner`).
public struct AllocationSettings: Sendable, Equatable, Codable {
    /// The target mean bits per weight over the selected layers (what each candidate stores: codes, grids, outliers).
    public var budget: Double
    /// The configurations a layer may take.
    public var candidates: [LayerMethod]
    /// Calibration windows the end-to-end sensitivity of each layer is measured on.
    public var sensitivityWindows: Int

    public static let budgetRange = 1.0...16.0, sensitivityWindowRange = 1...256

    public init(budget: Double, candidates: [LayerMethod], sensitivityWindows: Int = 8) {
        (self.budget, self.candidates, self.sensitivityWindows) = (budget, candidates, sensitivityWindows)
    }

    /// The candidates when a recipe names none: a grid method at 2, 3, 4 and 8 bits, per row and in groups of
    /// 128 columns; a codebook method as it is.
    public static func defaultCandidates(for method: LayerMethod) -> [LayerMethod] {
        guard method.grid != nil else { return [method] }
        var out: [LayerMethod] = []
        for bits in [2, 3, 4, 8] {
            for group in [-1, 128] {
                var values = MethodSchema.values(of: method)
                values["bits"] = .int(bits)
                values["group_size"] = .int(group)
                if let m = try? MethodSchema.method(method.methodName, values: values), !out.contains(m) { out.append(m) }
            }
        }
        return out
    }
}
