import Foundation

/// The one text form of engine events, for every place that shows a run as lines (a headless run's
/// stderr, the workbench's no-terminal fallback, the workbench log): a line per run start, finished
/// calibration block, layer start and finish, comparison, sample, warning, error, pause and run end; nothing per sweep.
///
/// ```swift
/// state.apply(event)
/// if let line = ProgressLine.text(for: event, in: state) { print(line) }
/// ```
public enum ProgressLine {
    /// The line of `event`, or nil for events shown only as a progress bar (sweeps, calibration steps).
    /// `state` (with the event applied) adds the count of finished layers and the run's statistics.
    public static func text(for event: EngineEvent, in state: RunState? = nil) -> String? {
        switch event {
        case let .runStarted(info):
            return "run: \(info.model) (\(info.architecture), \(info.blocks) blocks, \(info.layers.count) linears) · \(info.method.summary) · \(info.pipeline)\n"
                + "calibration: \(info.calibration)"
        case let .calibrating(c):
            return c.done == c.total ? "calibrated \(c.label) (\(c.total) windows)" : nil
        case let .layerStarted(layer, method):
            return "\(layer): \(method.summary)"
        case .sweepFinished, .comparisonSweep:
            return nil
        case let .layerFinished(s):
            let count = state.map { s -> String in
                let total = String(s.layers.count)
                let done = String(s.finished.count)
                return "[" + String(repeating: " ", count: max(0, total.count - done.count)) + done + "/" + total + "] "
            } ?? ""
            return count + "\(s.name): rel_err \(scientific(s.relErr)) · \(String(format: "%.2f", s.bitsPerWeight)) bits/w · "
                + "\(s.outliers) outliers · \(String(format: "%.2fs", s.seconds))"
        case let .comparisonFinished(s):
            return "\(s.name): compared \(s.method.summary): rel_err \(scientific(s.relErr))"
        case let .tuningProgress(p):
            return p.heldOutLoss.map { "block \(p.block) fine-tuning: epoch \(p.epoch)/\(p.epochs), step \(p.step), held-out error \(scientific($0))" }
        case let .blockTuned(s):
            return "block \(s.block) fine-tuned: output error \(scientific(s.before)) → \(scientific(s.after)) · \(s.epochsRun) epochs, "
                + "\(s.steps) steps (\(s.stop.rawValue)) · \(String(format: "%.2fs", s.seconds))"
        case let .allocated(plan):
            return "allocation: " + plan.summary
        case let .solveCancelled(c):
            return "\(c.layer): \(c.method.summary) cancelled after \(c.step) of \(c.totalSteps)"
        case let .unavailable(layer, reason):
            return "\(layer) cannot be solved yet: \(reason)"
        case .requestEnded, .sampleStarted:
            return nil
        case let .sampleFinished(r, sample):
            return "sample of \(String(reflecting: r.prompt)), \(r.tokens) tokens: \(sample.referenceLabel) \(String(reflecting: sample.reference))"
                + (sample.quantized.map { " · quantized " + String(reflecting: $0) } ?? "")
        case let .sampleFailed(r, message):
            return "sample of \(String(reflecting: r.prompt)) failed: \(message)"
        case let .compensationStarted(r):
            return "QDEC: k_chunk \(r.settings.kChunks.map(String.init).joined(separator: ",")) with \(r.settings.selections.map(\.rawValue).joined(separator: ","))"
        case let .compensationProgress(_, p):
            return CompensationTable.pointLine(p)
        case let .compensationFinished(_, sweep):
            return "QDEC done: \(sweep.points.count) points"
        case .compensationCancelled:
            return "QDEC cancelled"
        case let .compensationFailed(_, message):
            return "QDEC failed: \(message)"
        case let .warning(w):
            return "warning: \(w)"
        case let .error(layer, message):
            return "error: " + (layer.map { "\($0): " } ?? "") + message
        case let .paused(p):
            return p ? "paused" : "resumed"
        case let .runFinished(status):
            guard let state else { return "run \(status.rawValue)" }
            let stats = state.relErrStats.map { " · median rel_err \(scientific($0.median)), worst \(scientific($0.worst))" } ?? ""
            return "run \(status.rawValue): \(state.finished.count)/\(state.layers.count) layers\(stats)"
        }
    }

    /// A relative error with four significant digits, e.g. `0.002034` or `1.234e-05`.
    static func scientific(_ x: Double) -> String {
        x != 0 && abs(x) < 1e-3 ? String(format: "%.3e", x) : String(format: "%.4g", x)
    }
}
