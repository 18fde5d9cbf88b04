import Engine

extension App {
    /// The QDEC view: ⏎ runs the sweep over the layers quantized so far, `x` cancels it, Esc closes (and
    /// cancels a running sweep); the last result stays for the next opening.
    static func qdec(_ action: Action, _ s: inout AppState, _ effects: inout [AppEffect], run: RunState) {
        switch action {
        case .apply:
            if s.qdec.isActive(run) { s.message = "the QDEC sweep is running (x cancels it)"; return }
            guard !run.finished.isEmpty else { s.message = "cannot run QDEC: " + CompensationUnavailable.nothingQuantized.reason; return }
            effects.append(.engine(.compensate(s.qdec.start())))
        case .cancel:
            guard s.qdec.isActive(run) else { s.message = "no QDEC sweep is running"; return }
            cancelSweep(&s, &effects)
        case .close:
            s.screen = .main
            if s.qdec.isActive(run) {
                cancelSweep(&s, &effects)
                s.message = "QDEC sweep cancelled"
            }
        case .quit: quit(&s, &effects)
        default: break
        }
    }

    private static func cancelSweep(_ s: inout AppState, _ effects: inout [AppEffect]) {
        s.qdec.cancel()
        effects.append(.engine(.stopCompensation))
    }
}
