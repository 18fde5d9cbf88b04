import Foundation
import QuantCore

/// A headless run's save hook: on the job's worker it writes every solved layer and finished comparison
/// to the run folder as it comes, and queues, for the run to show, what it could not keep — a layer file
/// that failed to write (which fails the run) and a cancelled solve, which is not saved as finished unless
/// partial results are kept on request.
final class LayerRecorder: @unchecked Sendable {
    private let folder: RunFolder
    private let keepPartial: Bool
    private let lock = NSLock()
    private var queued: [EngineEvent] = []
    private var failed = false

    init(folder: RunFolder, keepPartial: Bool) {
        self.folder = folder
        self.keepPartial = keepPartial
    }

    /// The job's `onOutcome`: saves `outcome` (a main result when `replacesMain`, else a comparison).
    func record(_ outcome: LayerOutcome, replacesMain: Bool) {
        let name = outcome.layer.name
        if outcome.result.cancelled && !(replacesMain && keepPartial) {
            if replacesMain {
                queue(.warning("\(name): its solve was cancelled, so it is not saved (--resume solves it again; "
                               + "--keep-partial keeps partial results)"))
            }
            return
        }
        do {
            if replacesMain {
                try folder.save(FinishedLayer(outcome), method: outcome.layerMethod)
                if outcome.result.cancelled { queue(.warning("\(name): kept the partial result of a cancelled solve (marked cancelled in its layer file)")) }
            } else {
                try folder.saveComparison(outcome.summary)
            }
        } catch {
            lock.lock(); failed = true; lock.unlock()
            queue(replacesMain ? .error(layer: name, message: "could not save the layer: \(error)")
                               : .warning("\(name): could not save its comparison \(outcome.summary.method): \(error)"))
        }
    }

    /// The job's `onTuned`: saves a fine-tuned block's layers and tensors.
    func recordTuning(_ tuned: TunedBlock, layers: [String: QuantizedLayer<Float>]) {
        do { try folder.saveTuning(tuned, layers: layers) } catch {
            lock.lock(); failed = true; lock.unlock()
            queue(.error(layer: nil, message: "could not save the fine-tuning of block \(tuned.summary.block): \(error)"))
        }
    }

    /// A save failed: the run cannot be what it says.
    var hasFailed: Bool { lock.lock(); defer { lock.unlock() }; return failed }

    /// What happened since the last call, in order.
    func take() -> [EngineEvent] {
        lock.lock(); defer { lock.unlock() }
        let out = queued
        queued = []
        return out
    }

    private func queue(_ event: EngineEvent) { lock.lock(); queued.append(event); lock.unlock() }
}
