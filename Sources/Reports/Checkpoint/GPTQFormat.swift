import ModelKit
import QuantCore

/// The GPTQ checkpoint layout (GPTQModel, AutoGPTQ, transformers with optimum): per layer `qweight`, `qzeros`,
/// fp16 `scales` and `g_idx`; in `config.json` one base scheme and a `dynamic` entry per layer that differs
/// (another bit width or group size) or stays unquantized.
struct GPTQFormat: QuantizedFormat {
    /// The bit widths GPTQ kernels pack.
    static let bitWidths = GPTQPacking.bitWidths
    /// `gptq_v2` (true zero points) unless every grid is symmetric: v1 stores zero − 1, which older loaders
    /// expect and which cannot hold a zero point of 0.
    let version2: Bool

    init(layers: [ExportLayer]) throws(ExportRefusal) {
        for e in layers {
            guard let grid = e.grid else {
                throw ExportRefusal(.gptq, layer: e.linear.name, "an additive-codebook (AQLM) layer has no integer grid", instead: "use --format aqlm")
            }
            guard Self.bitWidths.contains(grid.bits) else {
                throw ExportRefusal(.gptq, layer: e.linear.name, "\(grid.bits)-bit codes: GPTQ packs 2, 3, 4 or 8 bits",
                                    instead: grid.bits == 5 ? "use --format gguf (Q5_0/Q5_1) or --format dense" : "use --format dense")
            }
            guard grid.integerZeros else {
                throw ExportRefusal(.gptq, layer: e.linear.name, "a zero point is not an integer on the grid", instead: "use --format dense")
            }
            guard e.layer.cols * grid.bits % 32 == 0, e.layer.rows * grid.bits % 32 == 0 else {
                throw ExportRefusal(.gptq, layer: e.linear.name, "\(e.layer.rows)×\(e.layer.cols) does not pack into 32-bit words at \(grid.bits) bits",
                                    instead: "use --format dense")
            }
            try FP16Scales.check(e.layer.grid.scales, format: .gptq, layer: e.linear.name)
        }
        version2 = !layers.allSatisfy { $0.grid?.symmetric == true && $0.grid?.hasZeroOfZero == false }
    }

    func tensors(for e: ExportLayer) throws -> [ExportTensor] {
        let grid = e.layer.grid
        let t = try GPTQPacking.pack(codes: e.layer.codes, scales: grid.scales, zeros: grid.zeros, groupIndex: grid.groupIndex,
                                     rows: e.layer.rows, cols: e.layer.cols, bits: grid.bits, format: version2 ? .v2 : .v1)
        return [
            ExportTensor(name: e.moduleName + ".qweight", shape: t.qweightShape, data: .i32(t.qweight)),
            ExportTensor(name: e.moduleName + ".qzeros", shape: t.qzerosShape, data: .i32(t.qzeros)),
            ExportTensor(name: e.moduleName + ".scales", shape: t.scalesShape, data: .f16(t.scales)),
            ExportTensor(name: e.moduleName + ".g_idx", shape: t.groupIndexShape, data: .i32(t.groupIndex)),
        ]
    }

    func quantizationConfig(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> [String: Any] {
        let schemes = quantized.map { Scheme($0.grid!) }
        let base = Scheme.mostCommon(schemes) ?? Scheme(bits: 4, groupSize: 128, actOrder: false, symmetric: true)
        var dynamic: [String: Any] = [:]
        for (e, scheme) in zip(quantized, schemes) where scheme != base {
            dynamic["+:" + Self.pattern(e.moduleName)] = scheme.fields
        }
        for linear in plain { dynamic["-:" + Self.pattern(linear.moduleName)] = [String: Any]() }
        var config: [String: Any] = base.fields.merging([
            "quant_method": "gptq",
            "checkpoint_format": version2 ? "gptq_v2" : "gptq",
            "static_groups": false,
            "true_sequential": true,
            "damp_percent": 0.01,
            "pack_dtype": "int32",
            "lm_head": false,
        ]) { a, _ in a }
        if !dynamic.isEmpty { config["dynamic"] = dynamic }
        if let kinds = Self.quantizedKinds(quantized: quantized, plain: plain, checkpoint: checkpoint) { config["modules_in_block_to_quantize"] = [kinds] }
        return config
    }

    /// transformers (through optimum) ignores `dynamic` and quantizes every linear of every block unless told the
    /// module kinds (`self_attn.q_proj`, …) to quantize: that list when it says the same as `dynamic` (the skipped
    /// layers are whole kinds), nil when every linear is quantized or only `dynamic` can say which are.
    static func quantizedKinds(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> [String]? {
        guard !plain.isEmpty else { return nil }
        func kind(_ l: LinearLayer) -> String { String(l.name.drop { $0 != "." }.dropFirst()) }
        let quantizedKinds = Set(quantized.map { kind($0.linear) }), plainKinds = Set(plain.map(kind))
        guard quantizedKinds.isDisjoint(with: plainKinds) else { return nil }
        return checkpoint.linearLayers.map(kind).reduce(into: [String]()) { if quantizedKinds.contains($1), !$0.contains($1) { $0.append($1) } }
    }

    /// What the loaders make of a layout: transformers cannot take per-layer differences that `dynamic` holds.
    static func loaderNote(quantized: [ExportLayer], plain: [LinearLayer], checkpoint: Checkpoint) -> String? {
        let schemes = Set(quantized.compactMap { $0.grid.map(Scheme.init) })
        let kindsExpress = plain.isEmpty || quantizedKinds(quantized: quantized, plain: plain, checkpoint: checkpoint) != nil
        guard schemes.count > 1 || !kindsExpress else { return nil }
        return "the layers differ in width or some stay unquantized per block, which only 'dynamic' holds: GPTQModel.load reads it, "
            + "transformers with optimum ignores it (export --format dense, or quantize every layer alike, for those)"
    }

    /// An anchored regular expression matching exactly `module`.
    static func pattern(_ module: String) -> String {
        "^" + module.replacingOccurrences(of: ".", with: "\\.") + "$"
    }

    /// The settings GPTQ's config holds per scheme.
    struct Scheme: Hashable {
        let bits: Int
        let groupSize: Int
        let actOrder: Bool
        let symmetric: Bool

        init(bits: Int, groupSize: Int, actOrder: Bool, symmetric: Bool) {
            (self.bits, self.groupSize, self.actOrder, self.symmetric) = (bits, groupSize, actOrder, symmetric)
        }

        init(_ grid: GridLayout) {
            self.init(bits: grid.bits, groupSize: grid.groupSize, actOrder: grid.actOrder, symmetric: grid.symmetric)
        }

        var fields: [String: Any] { ["bits": bits, "group_size": groupSize, "desc_act": actOrder, "sym": symmetric] }

        /// The scheme most layers use (ties: the first).
        static func mostCommon(_ schemes: [Scheme]) -> Scheme? {
            var counts: [Scheme: Int] = [:]
            for s in schemes { counts[s, default: 0] += 1 }
            return schemes.first { counts[$0] == counts.values.max() }
        }
    }
}

/// Grid scales stored as fp16: refused where fp16 would change Ŵ beyond its rounding (overflow, or a scale below
/// fp16's normal range, where it keeps fewer bits).
enum FP16Scales {
    static func check(_ scales: [Float], format: CheckpointFormat, layer: String) throws(ExportRefusal) {
        let smallest = Float(Float16.leastNormalMagnitude), largest = Float(Float16.greatestFiniteMagnitude)
        if let s = scales.first(where: { !$0.isFinite || $0 > largest || ($0 != 0 && $0 < smallest) }) {
            throw ExportRefusal(format, layer: layer, "a grid scale of \(s) is outside fp16's normal range, so the stored scale would change Ŵ",
                                instead: "use --format dense (Ŵ in the checkpoint's dtype)")
        }
    }
}
