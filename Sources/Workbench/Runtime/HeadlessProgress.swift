import TUIKit
import Engine

/// Line output for when there is no terminal to draw on (no TTY, or ncurses cannot open it): one line
/// per run start, layer start and finish, comparison, warning, error and run end; sweeps and calibration
/// are summarised at most once per step.
public enum HeadlessProgress {
    public static func line(for event: EngineEvent) -> String? {
        switch event {
        case let .runStarted(info):
            return "run: \(info.model) (\(info.architecture), \(info.blocks) blocks, \(info.layers.count) linears) · \(info.method) · \(info.pipeline)"
        case let .calibrating(block, done, total):
            return done == total ? "calibrated block \(block) (\(total) windows)" : nil
        case let .layerStarted(layer, method):
            return "\(layer): \(method)"
        case .sweepFinished:
            return nil
        case let .layerFinished(s):
            return "\(s.name): rel_err \(Text.scientific(s.relErr)) · \(Text.fixed(s.bitsPerWeight, 2)) bits/w · \(s.outliers) outliers · \(Text.duration(s.seconds))"
        case let .comparisonFinished(s):
            return "\(s.name): compared \(s.method): rel_err \(Text.scientific(s.relErr))"
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
