import ArgumentParser
import Engine

/// The QDEC (DecDEC dynamic error compensation) options of `eval` and `quantize`.
struct CompensationOptions: ParsableArguments {
    @Option(name: .customLong("qdec-k"),
            help: "QDEC budgets: channels fetched per 1024 input channels, comma-separated (e.g. 0,4,8,16,32; 0 = no compensation).")
    var kChunks: String?
    @Option(name: .customLong("qdec-select"),
            help: "QDEC channel selection, comma-separated: bucket (DecDEC's kernel), topk-chunk, topk, static, random.")
    var selections = CompensationSettings.defaultSelections.map(\.rawValue).joined(separator: ",")
    @Option(name: .customLong("qdec-positions"), help: "Calibration tokens the QDEC thresholds are taken from.")
    var positions = CompensationSettings.defaultPositions

    /// The settings, or nil when `--qdec-k` is not given.
    func settings() throws -> CompensationSettings? {
        guard let kChunks else { return nil }
        guard positions > 0 else { throw ValidationError("--qdec-positions must be positive") }
        switch (CompensationSettings.kChunks(kChunks), CompensationSettings.selections(selections.split(separator: ",").map(String.init))) {
        case let (.success(k), .success(s)): return CompensationSettings(kChunks: k, selections: s, positions: positions)
        case let (.failure(error), _), let (_, .failure(error)): throw ValidationError(error.message)
        }
    }
}
