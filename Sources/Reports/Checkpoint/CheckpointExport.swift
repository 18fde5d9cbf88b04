import Engine
import Foundation
import ModelKit
import QuantCore

/// `quantbench export` (and `e` in the workbench): a run's layers written as a checkpoint other tools load,
/// atomically. Whatever the format cannot hold exactly is refused with an ``ExportRefusal``.
///
/// ```swift
/// let result = try CheckpointExport.export(run: runURL, model: nil, out: outURL, options: ExportOptions(format: .gptq))
/// ```
public enum CheckpointExport {
    /// What an export wrote.
    public struct Result: Sendable {
        public var out: URL
        public var format: CheckpointFormat
        /// Layers written in the format's quantized layout.
        public var quantized: Int
        /// Linears of the run written as plain weights (their outliers kept), by name.
        public var dense: [String]
        /// Linears the run did not solve, written as the checkpoint has them.
        public var untouched: Int
        /// Bytes of tensor data written.
        public var bytes: Int
        /// Lines for the user: what was folded, dropped or rounded.
        public var notes: [String]

        /// `exported gptq: 12 quantized layer(s), 2 dense, 4.1 MB of tensors`.
        public var summary: String {
            var what = "\(quantized) quantized layer(s)"
            if !dense.isEmpty { what += ", \(dense.count) dense" }
            if untouched > 0 { what += ", \(untouched) linear(s) as the checkpoint has them" }
            return "exported \(format.rawValue): \(what), \(String(format: "%.1f", Double(bytes) / 1e6)) MB of tensors"
        }
    }

    /// Exports the layers saved in the run folder `run`, applied to `model` (else the checkpoint the run recorded).
    /// `progress` gets (bytes written, total bytes).
    public static func export(run: URL, model: URL?, anyCheckpoint: Bool = false, out: URL, options: ExportOptions,
                              progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        let (folder, _, checkpoint) = try RunModels.open(modelDirectory: model, run: run, anyCheckpoint: anyCheckpoint)
        let finished = try folder?.finishedLayers().mapValues(\.layer) ?? [:]
        guard !finished.isEmpty else { throw RunFolderError.noLayers(path: run.path) }
        let tuned = try folder?.tunedBlocks().values.flatMap(\.vectors) ?? []
        return try export(layers: finished, tensors: Dictionary(tuned, uniquingKeysWith: { $1 }), checkpoint: checkpoint, out: out,
                          options: options, progress: progress)
    }

    /// Exports `layers` (by layer name) applied to `checkpoint`, with `tensors` (block fine-tuning's norms and
    /// biases, by full tensor name) in place of the checkpoint's.
    public static func export(layers byName: [String: QuantizedLayer<Float>], tensors: [String: [Float]] = [:], checkpoint: Checkpoint,
                              out: URL, options: ExportOptions, progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        if let unknown = byName.keys.sorted().first(where: { checkpoint.layout.linear(named: $0) == nil }) {
            throw ExportFailure.mismatch("the run has a layer \(unknown) that \(checkpoint.location) does not have")
        }
        if let unknown = tensors.keys.sorted().first(where: { !checkpoint.contains($0) }) {
            throw ExportFailure.mismatch("the run has a tuned tensor \(unknown) that \(checkpoint.location) does not have")
        }
        var notes: [String] = tensors.isEmpty ? [] : ["\(tensors.count) norm and bias tensor(s) from block fine-tuning replace the checkpoint's"]
        var format = options.format
        if options.outliers == .fold, format != .dense {
            notes.append("--outliers fold: the whole model is written dense (as --format dense), outliers included")
            format = .dense
        }
        var layers = try checkpoint.linearLayers.compactMap { l in
            try byName[l.name].map { ExportLayer(linear: l, layer: $0, weightInfo: try checkpoint.info(l.tensorName)) }
        }
        var dense: [ExportLayer] = []
        if format != .dense {
            let withOutliers = layers.filter { $0.layer.outliers.count > 0 }
            if !withOutliers.isEmpty {
                switch options.outliers {
                case .refuse, .fold:
                    let total = withOutliers.reduce(0) { $0 + $1.layer.outliers.count }
                    throw ExportRefusal(format, "\(withOutliers.count) layer(s) keep \(total) outliers in full precision (first: \(withOutliers[0].linear.name)), "
                                        + "and no loader reads quantized weights plus a sparse full-precision part",
                                        instead: "use --outliers dense-layers (those layers stay dense), --outliers fold (the whole model dense, exact) "
                                        + "or --outliers drop (the outliers are lost)")
                case .denseLayers:
                    dense = withOutliers
                    layers.removeAll { $0.layer.outliers.count > 0 }
                    notes.append("\(dense.count) layer(s) with outliers written dense: \(dense.map(\.linear.name).joined(separator: ", "))")
                case .drop:
                    layers = layers.map { e in
                        guard e.layer.outliers.count > 0 else { return e }
                        notes.append(OutlierDrop.note(for: e))
                        var kept = e.layer
                        kept.outliers = SparseOutliers()
                        return ExportLayer(linear: e.linear, layer: kept, weightInfo: e.weightInfo)
                    }
                }
            }
        } else {
            dense = layers
            layers = []
        }
        if format == .gguf {
            let gguf = try GGUFExport(checkpoint: checkpoint)
            let bytes = try gguf.write(quantized: layers, dense: dense, tensors: tensors, to: out, replace: options.replace, progress: progress)
            return Result(out: out, format: format, quantized: layers.count, dense: dense.map(\.linear.name),
                          untouched: checkpoint.linearLayers.count - layers.count - dense.count, bytes: bytes, notes: notes)
        }
        let writer = try QuantizedFormats.writer(for: format, layers: layers)
        var folder = ModelFolderWriter()
        let replaced = Set((layers + dense).map(\.linear.tensorName))
        for e in layers {
            for t in try writer?.tensors(for: e) ?? [] { try folder.add(t.name, shape: t.shape, data: t.data) }
        }
        for e in dense {
            let w = e.layer.dequantized()
            let stored = e.linear.storedTransposed ? w.transposed : w
            try folder.add(e.linear.tensorName, shape: e.linear.storedShape, data: try PlainTensor.data(stored.storage, like: e.weightInfo))
        }
        if let rounded = dense.first?.weightInfo, rounded.dtype != .f32, rounded.ggmlType == nil {
            notes.append("dense weights are stored in the checkpoint's \(rounded.dtype.rawValue), so Ŵ is rounded to it")
        }
        for info in checkpoint.tensors where !replaced.contains(info.name) {
            let data = try tensors[info.name].map { try PlainTensor.data($0, like: info) } ?? PlainTensor.data(checkpoint: checkpoint, info)
            try folder.add(info.name, shape: info.shape, data: data)
        }
        var config = try ConfigFile.read(checkpoint)
        if let writer {
            let quantized = Set(layers.map(\.linear.name))
            let plain = checkpoint.linearLayers.filter { !quantized.contains($0.name) }
            config["quantization_config"] = writer.quantizationConfig(quantized: layers, plain: plain, checkpoint: checkpoint)
            if format == .gptq, let note = GPTQFormat.loaderNote(quantized: layers, plain: plain, checkpoint: checkpoint) { notes.append(note) }
        }
        try folder.write(to: out, config: config, copyingFrom: checkpoint.format == .safetensors ? checkpoint.directory : nil,
                         files: try ConfigFile.generatedFiles(checkpoint), shardBytes: options.shardBytes, replace: options.replace, progress: progress)
        return Result(out: out, format: format, quantized: layers.count, dense: dense.map(\.linear.name),
                      untouched: checkpoint.linearLayers.count - layers.count - dense.count, bytes: folder.totalBytes, notes: notes)
    }
}

/// The line `--outliers drop` prints per layer: how much of the layer's weight the outliers carried.
enum OutlierDrop {
    static func note(for e: ExportLayer) -> String {
        let full = e.layer.dequantized().storage
        let dropped = e.layer.outliers.entries.reduce(0.0) { $0 + Double($1.value) * Double($1.value) }
        let norm = full.reduce(0.0) { $0 + Double($1) * Double($1) }
        let share = norm > 0 ? (dropped / norm).squareRoot() : 0
        return "\(e.linear.name): \(e.layer.outliers.count) outliers dropped (‖H‖/‖Ŵ+H‖ = \(String(format: "%.3g", share)))"
    }
}
