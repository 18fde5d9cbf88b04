import Engine

/// The sample panel's state (`d`): the prompt as typed and the tokens to generate, the request the job
/// follows while the panel is open, and the job's latest answer to it.
public struct SampleView: Sendable, Equatable {
    /// Where the job is with the followed request.
    public enum Progress: Sendable, Equatable {
        case idle
        /// Asked for; the job generates it once it is between two solves.
        case waiting
        case generating
    }

    /// Tokens per ←/→ step, and how many can be asked for.
    static let tokenStep = 8
    static let tokenRange = tokenStep...256

    public var prompt = GreedySample.defaultPrompt
    public var tokens = GreedySample.defaultTokens
    /// What the job follows; nil while the panel is closed.
    public private(set) var request: SampleRequest? = nil
    public private(set) var progress = Progress.idle
    /// The latest sample (kept while the panel is closed) and how many layers were done when it came.
    public private(set) var sample: GreedySample? = nil
    public private(set) var layersDone = 0
    /// Why the followed request could not be sampled.
    public private(set) var failure: String? = nil
    /// The id of the last request sent (ids keep counting up after the panel closes).
    private var lastID = 0

    public init() {}

    /// The typed prompt or tokens are not what the job follows: ⏎ asks for them.
    public var edited: Bool { request.map { $0.prompt != prompt || $0.tokens != tokens } ?? false }

    /// Follows the typed prompt and tokens from now on; the request to send (a new id each time).
    mutating func follow() -> SampleRequest {
        lastID += 1
        let next = SampleRequest(id: lastID, prompt: prompt, tokens: tokens)
        request = next
        progress = .waiting
        failure = nil
        return next
    }

    /// Stops following (the panel closed); the last sample stays for the next opening.
    mutating func stop() {
        request = nil
        progress = .idle
    }

    /// Moves the token count one step.
    mutating func stepTokens(_ delta: Int) {
        tokens = min(Self.tokenRange.upperBound, max(Self.tokenRange.lowerBound, tokens + delta * Self.tokenStep))
    }

    /// Takes the job's sample events for the followed request (older requests' answers are dropped); `run`
    /// is the run as it was when the event came, for the layers done.
    mutating func observe(_ event: EngineEvent, run: RunState) {
        switch event {
        case let .sampleStarted(r) where r == request:
            progress = .generating
        case let .sampleFinished(r, s) where r == request:
            sample = s
            layersDone = run.finished.count
            failure = nil
            progress = .idle
        case let .sampleFailed(r, message) where r == request:
            failure = message
            progress = .idle
        default: break
        }
    }
}
