/// The semantic colour names a theme defines; widgets only ask for these, never for raw colours.
/// Gradient families (`objective`, `heat`, `util`) have `_start`, `_mid` and `_end` keys.
public enum ThemeKey: String, Sendable, CaseIterable, Hashable {
    case mainBg = "main_bg", mainFg = "main_fg", title, hiFg = "hi_fg"
    case selectedBg = "selected_bg", selectedFg = "selected_fg", inactiveFg = "inactive_fg"
    case border, statusBg = "status_bg", statusFg = "status_fg", graphText = "graph_text"
    case outlierFg = "outlier_fg", compareFg = "compare_fg"
    case runningFg = "running_fg", doneFg = "done_fg", failedFg = "failed_fg", warningFg = "warning_fg"
    case objectiveStart = "objective_start", objectiveMid = "objective_mid", objectiveEnd = "objective_end"
    case heatStart = "heat_start", heatMid = "heat_mid", heatEnd = "heat_end"
    case utilStart = "util_start", utilMid = "util_mid", utilEnd = "util_end"
}

/// A gradient family of the theme.
public enum GradientKey: String, Sendable, CaseIterable {
    /// The convergence curve, coloured from early to late sweeps.
    case objective
    /// Error heatmap, low to high.
    case heat
    /// Utilisation bars (outliers), low to high.
    case util

    var stops: (ThemeKey, ThemeKey, ThemeKey) {
        switch self {
        case .objective: return (.objectiveStart, .objectiveMid, .objectiveEnd)
        case .heat: return (.heatStart, .heatMid, .heatEnd)
        case .util: return (.utilStart, .utilMid, .utilEnd)
        }
    }
}
