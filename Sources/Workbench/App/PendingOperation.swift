import Engine
import QuantCore

/// Work the user started and the job has not finished: a re-solve of a scope's layers with the method, or
/// their comparison with the comparison methods. The status bar says what it is and how far it got; nothing of it lives in a message.
public struct PendingOperation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case solving, comparing
    }

    public var kind: Kind
    public var scope: LayerScope
    public var methods: [LayerMethod]
    /// The requests the job has not ended yet, in the order sent.
    public var waiting: [LayerRequest]
    /// Requests sent, and how many of them were cancelled or could not run.
    public var total: Int
    public var cancelled = 0
    public var unavailable = 0
    /// Layers of the scope left out because they have no result yet.
    public var skipped: Int

    public init(kind: Kind, scope: LayerScope, methods: [LayerMethod], requests: [LayerRequest], skipped: Int) {
        self.kind = kind
        self.scope = scope
        self.methods = methods
        self.waiting = requests
        self.total = requests.count
        self.skipped = skipped
    }

    /// What is being solved: the layer's name, or `6 layers of *.value`.
    public var subject: String {
        if scope == .layer, let first = waiting.first { return first.layer }
        let layers = total / max(1, methods.count)
        return "\(layers) layer\(layers == 1 ? "" : "s") of \(scope.label)"
    }

    /// `QuantEase 4-bit`, `GPTQ 3-bit and RTN 4-bit`, `3 methods`: short, for the status bar.
    var methodText: String {
        switch methods.count {
        case 1: return methods[0].summary
        case 2: return methods[0].headline + " and " + methods[1].headline
        default: return "\(methods.count) methods"
        }
    }

    /// The status bar's text, e.g. `solving 6 layers of *.value with QuantEase 4-bit… 2/6`.
    public func text(ellipsis: String) -> String {
        let verb = kind == .solving ? "solving " : "comparing "
        let progress = total > 1 ? " \(total - waiting.count)/\(total)" : ""
        return verb + subject + " with " + methodText + ellipsis + progress + (skipped > 0 ? " (\(skipped) not solved yet, skipped)" : "")
    }

    /// Takes an ended request off the list; true when it was one of this operation's.
    mutating func end(_ request: LayerRequest) -> Bool {
        guard let i = waiting.firstIndex(of: request) else { return false }
        waiting.remove(at: i)
        return true
    }

    /// One line for when it is over.
    var summary: String {
        let verb = kind == .solving ? "solved " : "compared "
        let ok = total - cancelled - unavailable
        let unit = methods.count == 1 ? "layer" : "solve"
        var line = verb + "\(ok) of \(total) \(unit)\(total == 1 ? "" : "s") of \(scope.label) with " + methodText
        if cancelled > 0 { line += ", \(cancelled) cancelled" }
        if unavailable > 0 { line += ", \(unavailable) not solvable yet" }
        return line
    }
}
