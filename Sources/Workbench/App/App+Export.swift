import Engine

extension App {
    /// The export picker: ↑↓ choose the target, ←→ the outlier handling (checkpoint formats), ⏎ writes the
    /// run as it is now (in the background: the picker may close meanwhile), Esc closes.
    static func export(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect]) {
        let count = s.export.targets.count
        switch action {
        case .up: s.export.choice = clamp(s.export.choice - 1, count)
        case .down: s.export.choice = clamp(s.export.choice + 1, count)
        case .top, .pageUp: s.export.choice = 0
        case .bottom, .pageDown: s.export.choice = max(0, count - 1)
        case .valueUp, .valueDown:
            guard s.export.choiceTakesOutliers else {
                s.message = s.export.targets.indices.contains(s.export.choice) ? "\(s.export.targets[s.export.choice].name): outliers are kept as they are" : nil
                return
            }
            let n = s.export.outlierHandling.count
            s.export.outliers = (s.export.outliers + (action == .valueUp ? 1 : n - 1)) % n
        case .apply:
            if let running = s.export.running { s.message = "the \(running.target) export is still being written"; return }
            if let request = s.export.start() { effects.append(.export(request)) }
        case .close: s.screen = .main
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    /// `e` on the main screen: the picker, or why there is none.
    static func openExport(_ s: inout AppState) {
        if s.export.targets.isEmpty { s.message = "export is not available here" } else { s.screen = .export }
    }
}
