import Engine
import QuantCore

/// Work the user started and the job has not finished: a re-solve of a scope's layers with the method, their
/// comparison with the comparison methods, or the re-solve of the solved layers a new bit allocation chose
/// differently for. The status bar says what it is and how far it got; nothing of it lives in a message.
public struct PendingOperation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case solving, comparing
        /// Following the plan for a new bits/weight budget (`a`, then ⏎).
        case following(budget: Double)

        /// `solving`, `solved`: the verb in the status bar and the summary.
        var verb: (doing: String, done: String) {
            switch self {
            case .solving: ("solving", "solved")
            case .comparing: ("comparing", "compared")
            case .following: ("re-solving", "re-solved")
            }
        }
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

    /// What is being solved: the layer's name, `6 layers of *.value`, or `6 layers for the 3.25 bits/w plan`.
    public var subject: String {
        if case let .following(budget) = kind { return Self.layers(total) + " for the " + AllocationView.budgetText(budget) + " bits/w plan" }
        if scope == .layer, let first = waiting.first { return first.layer }
        return Self.layers(total / max(1, methods.count)) + " of \(scope.label)"
    }

    private static func layers(_ n: Int) -> String { "\(n) layer\(n == 1 ? "" : "s")" }

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
        let progress = total > 1 ? " \(total - waiting.count)/\(total)" : ""
        return kind.verb.doing + " " + subject + with + ellipsis + progress + (skipped > 0 ? " (\(skipped) not solved yet, skipped)" : "")
    }

    /// ` with QuantEase 4-bit`; nothing when following a plan (each layer takes its own choice).
    private var with: String {
        if case .following = kind { return "" }
        return " with " + methodText
    }

    /// Takes an ended request off the list; true when it was one of this operation's.
    mutating func end(_ request: LayerRequest) -> Bool {
        guard let i = waiting.firstIndex(of: request) else { return false }
        waiting.remove(at: i)
        return true
    }

    /// One line for when it is over.
    var summary: String {
        let ok = total - cancelled - unavailable
        var line: String
        if case let .following(budget) = kind {
            line = kind.verb.done + " \(ok) of " + Self.layers(total) + " for the " + AllocationView.budgetText(budget) + " bits/w plan"
        } else {
            let unit = methods.count == 1 ? "layer" : "solve"
            line = kind.verb.done + " \(ok) of \(total) \(unit)\(total == 1 ? "" : "s") of \(scope.label)" + with
        }
        if cancelled > 0 { line += ", \(cancelled) cancelled" }
        if unavailable > 0 { line += ", \(unavailable) not solvable yet" }
        return line
    }
}
