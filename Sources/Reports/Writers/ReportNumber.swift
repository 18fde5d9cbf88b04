import Foundation

/// How the human-readable reports print numbers.
enum ReportNumber {
    /// Three significant digits: `0.0123`, `1.2e-05`.
    static func relErr(_ x: Double) -> String { String(format: "%.3g", x) }
    static func optionalRelErr(_ x: Double?) -> String { x.map(relErr) ?? "–" }
    static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
    /// Seconds with one decimal below a minute, then minutes and seconds.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 60, seconds < 1e9 else { return fixed(seconds, 1) + " s" }
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? "\(whole / 3600) h \(whole % 3600 / 60) min" : "\(whole / 60) min \(whole % 60) s"
    }
    /// A parameter count as `22.7M`, `590k`, `96`.
    static func count(_ n: Double) -> String {
        switch n {
        case 1e6...: return fixed(n / 1e6, 1) + "M"
        case 1e4...: return fixed((n / 1000).rounded(.down), 0) + "k"
        default: return fixed(n, 0)
        }
    }
}
