import TUIKit
import QuantCore

/// A row of the method panel: one setting, its label and value, and how ←/→ change it.
public enum MethodField: String, Sendable, CaseIterable {
    case kind, bits, groupSize, symmetric, mseSearch
    case sweeps, schedule, start, implementation, actOrder
    case blockSize, damping, staticGroups, freshGroupGrids
    case outlierFraction, structure, alpha
    case codebooks, codebookBits, codebookGroupSize, beamSize, maxEpochs, stepsPerEpoch, codebookUpdate, reseedDeadCodes
    case compareWith

    /// The fields that apply to a solver, in panel order.
    public static func fields(for kind: MethodDraft.Kind) -> [MethodField] {
        switch kind {
        case .rtn: return [.kind, .bits, .groupSize, .symmetric, .mseSearch, .compareWith]
        case .gptq: return [.kind, .bits, .groupSize, .symmetric, .mseSearch, .actOrder, .blockSize, .damping, .staticGroups, .freshGroupGrids, .compareWith]
        case .quantease: return [.kind, .bits, .groupSize, .symmetric, .mseSearch, .sweeps, .schedule, .start, .implementation, .actOrder, .blockSize, .damping, .compareWith]
        case .quanteaseOutlier: return [.kind, .bits, .symmetric, .mseSearch, .outlierFraction, .structure, .sweeps, .schedule, .alpha, .blockSize, .compareWith]
        case .aqlm: return [.kind, .codebooks, .codebookBits, .codebookGroupSize, .beamSize, .maxEpochs, .stepsPerEpoch, .codebookUpdate,
                            .reseedDeadCodes, .compareWith]
        }
    }

    public var label: String {
        switch self {
        case .kind: return "method"
        case .bits: return "bits"
        case .groupSize: return "group size"
        case .symmetric: return "symmetric grid"
        case .mseSearch: return "MSE grid search"
        case .sweeps: return "sweeps"
        case .schedule: return "schedule"
        case .start: return "start from"
        case .implementation: return "sweep code"
        case .actOrder: return "act-order"
        case .blockSize: return "block size"
        case .damping: return "damping"
        case .staticGroups: return "static groups"
        case .freshGroupGrids: return "fresh group grids"
        case .outlierFraction: return "outlier budget"
        case .structure: return "outlier structure"
        case .alpha: return "IHT step α"
        case .codebooks: return "codebooks (M)"
        case .codebookBits: return "bits per codebook (B)"
        case .codebookGroupSize: return "group size (g)"
        case .beamSize: return "beam size"
        case .maxEpochs: return "max epochs"
        case .stepsPerEpoch: return "Adam steps / epoch"
        case .codebookUpdate: return "codebook update"
        case .reseedDeadCodes: return "re-seed dead codes"
        case .compareWith: return "compare with (c)"
        }
    }

    public func value(_ d: MethodDraft) -> String {
        let yesNo = { (b: Bool) in b ? "yes" : "no" }
        switch self {
        case .kind: return d.kind.rawValue
        case .bits: return "\(d.bits)"
        case .groupSize: return d.groupSize == -1 ? "row" : "\(d.groupSize)"
        case .symmetric: return yesNo(d.symmetric)
        case .mseSearch: return yesNo(d.mseSearch)
        case .sweeps: return "\(d.sweeps)"
        case .schedule: return d.schedule == .relaxed ? "relaxed" : "always round"
        case .start: return d.startFromGPTQ ? "GPTQ" : "W"
        case .implementation: return d.referenceSweeps ? "reference" : "blocked"
        case .actOrder: return yesNo(d.actOrder)
        case .blockSize: return "\(d.blockSize)"
        case .damping: return Text.fixed(d.damping, 3)
        case .staticGroups: return yesNo(d.staticGroups)
        case .freshGroupGrids: return yesNo(d.freshGroupGrids)
        case .outlierFraction: return Text.fixed(d.outlierFraction * 100, 2) + "%"
        case .structure: return d.structure.rawValue
        case .alpha: return Text.fixed(d.alpha, 2)
        case .codebooks: return "\(d.codebooks)"
        case .codebookBits: return "\(d.codebookBits)"
        case .codebookGroupSize: return "\(d.codebookGroupSize)"
        case .beamSize: return "\(d.beamSize)"
        case .maxEpochs: return "\(d.maxEpochs)"
        case .stepsPerEpoch: return "\(d.stepsPerEpoch)"
        case .codebookUpdate: return d.codebookUpdate.rawValue
        case .reseedDeadCodes: return yesNo(d.reseedDeadCodes)
        case .compareWith: return d.compareWith.rawValue
        }
    }

    /// Moves the setting one step (`delta` is +1 or −1).
    public func adjust(_ d: inout MethodDraft, by delta: Int) {
        switch self {
        case .kind: d.kind = delta > 0 ? d.kind.next : d.kind.previous
        case .bits: d.stepBits(delta)
        case .groupSize: d.groupSize = MethodDraft.step(MethodDraft.groupSizes, from: d.groupSize, by: delta)
        case .symmetric: d.symmetric.toggle()
        case .mseSearch: d.mseSearch.toggle()
        case .sweeps: d.stepSweeps(delta * (d.sweeps + delta < 10 ? 1 : 5))
        case .schedule: d.schedule = d.schedule == .relaxed ? .alwaysRound : .relaxed
        case .start: d.startFromGPTQ.toggle()
        case .implementation: d.referenceSweeps.toggle()
        case .actOrder: d.actOrder.toggle()
        case .blockSize: d.blockSize = MethodDraft.step(MethodDraft.blockSizes, from: d.blockSize, by: delta)
        case .damping: d.damping = MethodDraft.step(MethodDraft.dampingSteps, from: d.damping, by: delta)
        case .staticGroups: d.staticGroups.toggle()
        case .freshGroupGrids: d.freshGroupGrids.toggle()
        case .outlierFraction: d.stepOutliers(delta)
        case .structure: d.structure = d.structure == .unstructured ? .columns : .unstructured
        case .alpha: d.alpha = MethodDraft.step(MethodDraft.alphaSteps, from: d.alpha, by: delta)
        case .codebooks: d.codebooks = min(8, max(1, d.codebooks + delta))
        case .codebookBits: d.codebookBits = min(16, max(1, d.codebookBits + delta))
        case .codebookGroupSize: d.codebookGroupSize = MethodDraft.step(MethodDraft.codebookGroupSizes, from: d.codebookGroupSize, by: delta)
        case .beamSize: d.beamSize = MethodDraft.step(MethodDraft.beamSizes, from: d.beamSize, by: delta)
        case .maxEpochs: d.maxEpochs = MethodDraft.step(MethodDraft.epochSteps, from: d.maxEpochs, by: delta)
        case .stepsPerEpoch: d.stepsPerEpoch = MethodDraft.step(MethodDraft.stepsPerEpochSteps, from: d.stepsPerEpoch, by: delta)
        case .codebookUpdate: d.codebookUpdate = d.codebookUpdate == .adam ? .leastSquares : .adam
        case .reseedDeadCodes: d.reseedDeadCodes.toggle()
        case .compareWith: d.compareWith = delta > 0 ? d.compareWith.next : d.compareWith.previous
        }
    }
}
