import Engine
import QuantCore

/// The role a series plays in a report's charts, its label and its colour, the same in every chart: the
/// run's own result is always the first palette colour, and each comparison method has its own colour, in
/// the order the methods first appear in the run (so GPTQ is the same colour on every layer).
struct SeriesRoles {
    /// The labels of the comparison methods, in first-appearance order.
    let methods: [String]

    /// The roles of a report's comparisons.
    init(_ report: RunReport) {
        var methods: [String] = []
        for group in ReportFacts.comparisonGroups(report) {
            for s in group.others where !methods.contains(Self.label(s.method)) { methods.append(Self.label(s.method)) }
        }
        self.methods = methods
    }

    /// The run's own result.
    static let runColor = ChartFrame.color(0)

    /// A method's label in legends and bar rows.
    static func label(_ method: LayerMethod) -> String { method.summary }

    /// The run's own result in legends: `this run: QuantEase 3-bit, …`.
    static func runLabel(_ method: LayerMethod) -> String { "this run: " + label(method) }

    /// The colour of a comparison method.
    func color(_ method: LayerMethod) -> String {
        ChartFrame.color(1 + (methods.firstIndex(of: Self.label(method)) ?? methods.count))
    }
}
