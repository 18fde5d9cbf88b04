import Foundation
import QuantCore
import Testing
@testable import Engine
@testable import ModelKit

/// A work with no layers and no language model: sampling it fails with the protocol's reason.
private final class NoModelWork: QuantizationWork {
    var info: RunInfo {
        RunInfo(model: "layerless", architecture: "none", blocks: 0, layers: [], method: JobTests.quantease, pipeline: "none", calibration: "none")
    }

    func begin(finished: [String: QuantizedLayer<Float>], tuned: [Int: TunedBlock]) throws {}

    func runNextBlock(onEvent: (PipelineEvent) -> Void, isCancelled: @escaping @Sendable () -> Bool) throws -> Bool { false }

    func solve(layer: String, method: LayerMethod, control: SolverControl) throws -> LayerOutcome {
        throw LayerUnavailable(layer: layer, reason: "there are no layers")
    }
}

/// The watched sample on a real job: generated on the worker between two solves, again after every change
/// of the weights, dropped when superseded.
@Suite struct SampleJobTests {
    static let four = LayerMethod.quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: 4), sweeps: 2))

    /// One block of three layers: the sample follows each layer, not each block.
    @Test func aWatchedSampleFollowsEverySolveUntilItIsStopped() async throws {
        let work = SyntheticWork(method: JobTests.quantease, layersPerBlock: 3)
        let job = Job(work: work, keepAlive: true)
        let request = SampleRequest(id: 1, prompt: "p", tokens: 4)
        job.send(.sample(request))
        let status = job.start()
        var order: [String] = []
        var ended = 0
        for await e in job.events {
            switch e {
            case let .layerFinished(s): order.append("solved \(s.name)@\(s.bits)")
            case let .sampleFinished(r, sample):
                #expect(r == request && sample.prompt == "p")
                order.append("sample [\(sample.quantized ?? "none")]")
                // After the re-solve's sample: stop watching, then solve once more.
                if order.contains("solved 1.mlp@4") {
                    job.send(.stopSampling)
                    job.send(.resolve(layer: "0.mlp", method: Self.four))
                }
            case .runFinished: job.send(.resolve(layer: "1.mlp", method: Self.four))
            case .requestEnded:
                ended += 1
                if ended == 2 { job.send(.quit) }
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(order == ["sample []",
                          "solved 0.mlp@3", "sample [0.mlp@3]",
                          "solved 1.mlp@3", "sample [0.mlp@3 1.mlp@3]",
                          "solved 2.mlp@3", "sample [0.mlp@3 1.mlp@3 2.mlp@3]",
                          "solved 1.mlp@4", "sample [0.mlp@3 1.mlp@4 2.mlp@3]",
                          "solved 0.mlp@4"])
        #expect(!work.sampledDuringASolve)
    }

    @Test func aSupersededSampleStopsAndIsNotTold() async throws {
        let work = SyntheticWork(method: JobTests.quantease)
        let first = SampleRequest(id: 1, prompt: "first", tokens: 4), second = SampleRequest(id: 2, prompt: "second", tokens: 4)
        // The first sample runs until its check says stop (the test asks for the second meanwhile).
        work.onSample = { r, isCancelled in
            guard r == first else { return }
            let deadline = Date().addingTimeInterval(60)
            while !isCancelled() && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        }
        let job = Job(work: work, keepAlive: true)
        let status = job.start()
        var seen: [String] = []
        for await e in job.events {
            switch e {
            case .runFinished: job.send(.sample(first))
            case let .sampleStarted(r):
                seen.append("started \(r.prompt)")
                if r == first { job.send(.sample(second)) }
            case let .sampleFinished(r, _):
                seen.append("finished \(r.prompt)")
                job.send(.quit)
            case let .sampleFailed(r, message): seen.append("failed \(r.prompt): \(message)")
            default: break
            }
        }
        #expect(await status.value == .completed)
        #expect(seen == ["started first", "started second", "finished second"])
    }

    @Test func aWorkWithoutALanguageModelSaysSo() async throws {
        let job = Job(work: NoModelWork(), keepAlive: true)
        let request = SampleRequest(id: 7, prompt: "p", tokens: 4)
        job.send(.sample(request))
        let status = job.start()
        var failures: [String] = []
        for await e in job.events {
            if case let .sampleFailed(r, message) = e {
                #expect(r == request)
                failures.append(message)
                job.send(.quit)
            }
        }
        _ = await status.value
        #expect(failures == ["sampling needs a causal LM, and layerless is not one"])
    }

    @Test func sideBySideWrapsEachContinuationInItsColumn() {
        let sample = GreedySample(prompt: "Say", referenceLabel: "FP32", reference: "one two three four", quantized: "five\nsix")
        #expect(sample.sideBySide(width: 43, rule: "|") == """
            prompt: Say

            FP32 reference       | quantized
                                 |\u{20}
            one two three four   | five
                                 | six

            """)
        #expect(GreedySample(prompt: "Say", referenceLabel: "FP32", reference: "one", quantized: nil).sideBySide(width: 43)
                == "prompt: Say\n\nFP32 reference:\none\n")
    }

    @Test func sampleEventsAreLoggedAndLeaveTheRunAlone() {
        let request = SampleRequest(id: 1, prompt: "The capital of France is", tokens: 8)
        let sample = GreedySample(prompt: request.prompt, referenceLabel: "GGUF Q4_1", reference: " Paris.\nIt", quantized: " Lyon.")
        #expect(ProgressLine.text(for: .sampleStarted(request)) == nil)
        #expect(ProgressLine.text(for: .sampleFinished(request, sample))
                == #"sample of "The capital of France is", 8 tokens: GGUF Q4_1 " Paris.\nIt" · quantized " Lyon.""#)
        #expect(ProgressLine.text(for: .sampleFailed(request, message: "too long")) == #"sample of "The capital of France is" failed: too long"#)
        var state = RunState()
        state.apply(.sampleFinished(request, sample))
        #expect(state == RunState())
    }
}

/// The machine's sample slot alone.
@Suite struct JobMachineSampleTests {
    static let sample = SampleRequest(id: 1, prompt: "p", tokens: 4)

    @Test func aWatchedSampleIsDueOnceAndAgainAfterTheWeightsChange() {
        var m = JobMachine(keepAlive: true)
        #expect(m.nextAction() == .startRun)
        m.receive(.command(.sample(Self.sample)))
        #expect(m.nextAction() == .sample(Self.sample), "before the next block")
        #expect(m.nextAction() == .runBlock, "generated: not due until the weights change")
        m.receive(.weightsChanged)
        #expect(m.takeDueSample() == Self.sample && m.takeDueSample() == nil, "taken inside a block, after a layer")
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed) && m.nextAction() == nil)
        m.receive(.weightsChanged)
        #expect(m.nextAction() == .sample(Self.sample) && m.nextAction() == nil)
    }

    @Test func resolvesGoFirstAndNoSampleRunsInsideASolve() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        m.receive(.blockDone(moreBlocks: false))
        #expect(m.nextAction() == .endRun(.completed))
        m.receive(.command(.resolve(layer: "1.mlp", method: JobMachineTests.method)))
        m.receive(.command(.sample(Self.sample)))
        #expect(m.nextAction() == .solve(JobMachineTests.request))
        m.receive(.weightsChanged)
        #expect(m.nextAction() == nil, "the solve is still under way")
        m.receive(.solveDone)
        #expect(m.nextAction() == .sample(Self.sample))
    }

    @Test func stoppingOrQuittingDropsTheSampleAndSupersedesTheOneUnderWay() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        m.receive(.command(.sample(Self.sample)))
        #expect(!m.supersedes(Self.sample))
        let other = SampleRequest(id: 2, prompt: "p", tokens: 4)
        m.receive(.command(.sample(other)))
        #expect(m.supersedes(Self.sample) && !m.supersedes(other))
        m.receive(.command(.stopSampling))
        m.receive(.weightsChanged)
        #expect(m.supersedes(other) && m.takeDueSample() == nil)
        m.receive(.command(.sample(Self.sample)))
        m.receive(.command(.quit))
        #expect(m.supersedes(Self.sample) && m.takeDueSample() == nil)
    }

    @Test func aCancelEndsTheRunBeforeTheSampleIsServed() {
        var m = JobMachine(keepAlive: true)
        _ = m.nextAction()
        m.receive(.command(.sample(Self.sample)))
        m.receive(.command(.cancel))
        #expect(m.nextAction() == .endRun(.cancelled))
        #expect(m.nextAction() == .sample(Self.sample), "the sample is not the run: it outlives the cancel")
    }
}
