import TUIKit
import Engine

/// Line output for when there is no terminal to draw on (no TTY, or ncurses cannot open it): one line
/// per run start, layer start, finish and cancel, comparison, warning, error and run end; sweeps and calibration
/// are summarised at most once per step.
public enum HeadlessProgress {
    public static func line(for event: EngineEvent) -> String? {
        switch event {
        case let .runStarted(info):
            return "run: \(info.model) (\(info.architecture), \(info.blocks) blocks, \(info.layers.count) linears) · \(info.method.summary) · \(info.pipeline)"
        case let .calibrating(block, done, total):
            return done == total ? "calibrated block \(block) (\(total) windows)" : nil
        case let .layerStarted(layer, method):
            return "\(layer): \(method.summary)"
        case .sweepFinished:
            return nil
        case let .layerFinished(s):
            return "\(s.name): rel_err \(Text.scientific(s.relErr)) · \(Text.fixed(s.bitsPerWeight, 2)) bits/w · \(s.outliers) outliers · \(Text.duration(s.seconds))"
        case let .comparisonFinished(s):
            return "\(s.name): compared \(s.method.summary): rel_err \(Text.scientific(s.relErr))"
        case let .solveCancelled(c):
            return "\(c.layer): \(c.method.summary) cancelled after \(c.step) of \(c.totalSteps)" + (c.replacesMain ? "" : " (comparison)")
        case let .unavailable(layer, reason):
            return "\(layer) cannot be solved yet: \(reason)"
        case .requestEnded:
            return nil
        case let .warning(w):
            return "warning: \(w)"
        case let .error(layer, message):
            return "error: " + (layer.map { "\($0): " } ?? "") + message
        case let .paused(p):
            return p ? "paused" : "resumed"
        case let .runFinished(status):
            return "run \(status.rawValue)"
        }
    }
}
