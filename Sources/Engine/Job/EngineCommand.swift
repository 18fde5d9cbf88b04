import QuantCore

/// What a consumer (the workbench, a signal handler) can tell a running job.
public enum EngineCommand: Sendable, Equatable {
    /// Hold the solver between two sweeps until `resume`.
    case pause
    case resume
    /// Stop the current work (the run, or a re-solve) at the next sweep and drop the queued re-solves.
    /// A cancelled run keeps its finished layers and can be resumed; a kept-alive job goes on serving.
    case cancel
    /// Solve `layer` again with `method` (new bits, outlier budget, sweeps…); the new result replaces the
    /// layer's and the old one stays as a comparison.
    case resolve(layer: String, method: LayerMethod)
    /// Solve `layer` with `method` for comparison only; the layer keeps its result.
    case compare(layer: String, method: LayerMethod)
    /// Keep a sample of the model up to date: generate it now, and again after every change of the model's
    /// weights (a layer finished, a re-solve adopted), until `stopSampling` or another request.
    case sample(SampleRequest)
    case stopSampling
    /// Run a QDEC sweep over the layers quantized so far, at the job's next moment between two solves.
    case compensate(CompensationRequest)
    /// Cancel the QDEC sweep asked for (it stops between two evaluations).
    case stopCompensation
    /// Choose each layer's configuration again under another mean bits/weight budget, on the measurements the
    /// run made (recipes with `allocate:`); the layers solved from then on take the new choice.
    case allocate(budget: Double)
    /// End the job: cancel whatever runs and serve nothing more.
    case quit
}

/// A re-solve or comparison waiting for the worker.
public struct LayerRequest: Sendable, Equatable {
    public var layer: String
    public var method: LayerMethod
    /// A re-solve (the result becomes the layer's), not a comparison.
    public var replacesMain: Bool

    public init(layer: String, method: LayerMethod, replacesMain: Bool) {
        self.layer = layer
        self.method = method
        self.replacesMain = replacesMain
    }
}

/// A sample to keep up to date: the greedy continuations of `prompt`, at most `tokens` tokens, by the reference
/// model and by the model as the run has it. `id` tells the answers to one request from an earlier one's.
public struct SampleRequest: Sendable, Equatable {
    public var id: Int
    public var prompt: String
    public var tokens: Int

    public init(id: Int, prompt: String, tokens: Int) {
        self.id = id
        self.prompt = prompt
        self.tokens = tokens
    }
}
