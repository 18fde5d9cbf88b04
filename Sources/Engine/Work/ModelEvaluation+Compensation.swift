import Foundation
import ModelKit
import QuantCore

extension ModelEvaluation {
    /// QDEC on a fake-quant model: thresholds from `reference` (the untouched checkpoint) on
    /// `calibrationWindows`, then for every selection method and budget of `settings` the held-out metric
    /// with every position of every quantized linear compensated (DecDEC's `ppl` mode) and each layer's
    /// output error and recall. `quantized` holds the weights of `layers` (name → solved layer). Budget 0 is
    /// evaluated once for all selections (`CompensationPlan`); `onProgress` hears every point with its timing.
    public static func compensationSweep(reference: TransformerModel, quantized: TransformerModel, layers: [String: QuantizedLayer<Float>],
                                         calibrationWindows: [[Int]], tokenizer: Tokenizer, heldOut: CalibrationText,
                                         settings: CompensationSettings, maxSamples: Int = 256, windowLength: Int = 128,
                                         isCancelled: () -> Bool = { false },
                                         onProgress: (CompensationProgress) -> Void = { _ in }) throws -> CompensationSweep {
        let linears = reference.linearLayers.filter { layers[$0.name] != nil }
        let thresholds = try CompensationCalibration.thresholds(model: reference, windows: calibrationWindows, layers: linears,
                                                            positions: settings.positions)
        let dec = try CompensatedModel(model: quantized, layers: layers.mapValues { ($0.dequantized(), $0.bitsPerWeight) },
                                       thresholds: thresholds)
        defer { try? dec.remove() }
        let parameters = Dictionary(uniqueKeysWithValues: linears.map { ($0.name, $0.outFeatures * $0.inFeatures) })
        let positions = thresholds.values.first?.positions ?? 0
        var hostBytes = 0

        if reference.isCausalLM {
            let windows = Array(try CalibrationSampler(text: heldOut, tokenizer: tokenizer).evaluationWindows(length: windowLength).prefix(maxSamples))
            var ref = PerplexityAccumulator()
            for w in windows { try ref.add(logits: reference.forward(w), tokens: w) }
            let points = try CompensationPlan.run(settings, isCancelled: isCancelled, evaluate: { k, selection in
                let installed = try dec.install(kChunk: k, selection: selection)
                var ppl = PerplexityAccumulator()
                for w in windows { try ppl.add(logits: quantized.forward(w), tokens: w) }
                let results = installed.map(\.result)
                hostBytes = results.reduce(0) { $0 + $1.hostBytes }
                return CompensationSweep.Point(kChunk: k, selection: selection, meanCosine: nil, neighbourAgreement: nil,
                                               perplexity: try ppl.perplexity(), layers: results, parameters: parameters)
            }, progress: onProgress)
            return CompensationSweep(kind: "perplexity", samples: windows.count, calibrationPositions: positions,
                                     referencePerplexity: try ref.perplexity(), referenceLabel: reference.checkpoint.referenceLabel, hostBytes: hostBytes, source: heldOut.sourceDescription, points: points)
        }

        let ids = sentences(heldOut, limit: maxSamples).map { tokenizer.encode($0, addSpecialTokens: true, maxLength: windowLength) }
        let width = reference.checkpoint.config.hiddenSize
        let ref = Matrix(rows: ids.count, cols: width, storage: try ids.flatMap { try reference.sentenceEmbedding($0) })
        let points = try CompensationPlan.run(settings, isCancelled: isCancelled, evaluate: { k, selection in
            let installed = try dec.install(kChunk: k, selection: selection)
            let q = Matrix(rows: ids.count, cols: width, storage: try ids.flatMap { try quantized.sentenceEmbedding($0) })
            let results = installed.map(\.result)
            hostBytes = results.reduce(0) { $0 + $1.hostBytes }
            return CompensationSweep.Point(kChunk: k, selection: selection,
                                           meanCosine: try EmbeddingAgreement.meanCosine(reference: ref, candidate: q),
                                           neighbourAgreement: try EmbeddingAgreement.nearestNeighbourAgreement(reference: ref, candidate: q),
                                           perplexity: nil, layers: results, parameters: parameters)
        }, progress: onProgress)
        return CompensationSweep(kind: "embedding", samples: ids.count, calibrationPositions: positions, referencePerplexity: nil,
                                 referenceLabel: reference.checkpoint.referenceLabel,
                                 hostBytes: hostBytes, source: heldOut.sourceDescription, points: points)
    }
}

extension Recipe {
    /// The recipe's calibration windows for `model`, cut as a run cuts them (encoder windows framed with
    /// `[CLS]`/`[SEP]`), for evaluations that run after the fact.
    public func calibrationWindows(model: TransformerModel, tokenizer: Tokenizer, text: CalibrationText) throws -> [[Int]] {
        let framing: WindowFraming = model.isCausalLM ? .none : try .encoder(tokenizer)
        return try CalibrationSampler(text: text, tokenizer: tokenizer, framing: framing)
            .randomWindows(count: samples, length: sequenceLength, seed: seed)
    }
}
