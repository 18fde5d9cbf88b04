import ModelKit
import QuantCore

extension Recipe {
    /// The recipe as YAML that `RecipeParser` reads back to an equal recipe (used for recipes built from
    /// command-line flags or edited in the workbench, so a run folder can always be resumed).
    public func yaml() -> String {
        var lines = ["name: \(quoted(name))"]
        lines.append("model: \(model.map(quoted) ?? "demo")")
        let source: String
        switch calibrationSource {
        case .demo: source = "demo"
        case let .file(path): source = quoted(path)
        }
        lines.append("calibration: {source: \(source), samples: \(samples), sequence_length: \(sequenceLength), seed: \(seed)}")
        lines.append("pipeline: {mode: \(pipeline.mode.rawValue), true_sequential: \(pipeline.trueSequential), bounded_memory: \(pipeline.boundedMemory)}")
        var layerFields: [String] = []
        if !pipeline.selection.patterns.isEmpty { layerFields.append("include: [\(pipeline.selection.patterns.map(quoted).joined(separator: ", "))]") }
        if let b = pipeline.selection.blocks { layerFields.append("blocks: \(b.lowerBound)-\(b.upperBound)") }
        if !layerFields.isEmpty { lines.append("layers: {\(layerFields.joined(separator: ", "))}") }
        lines.append("method: \(Self.yaml(method))")
        if !compare.isEmpty {
            lines.append("compare:")
            lines += compare.map { "  - \(Self.yaml($0))" }
        }
        if let c = compensation {
            lines.append("qdec: {k_chunk: [\(c.kChunks.map(String.init).joined(separator: ", "))], "
                         + "selection: [\(c.selections.map(\.rawValue).joined(separator: ", "))], positions: \(c.positions)}")
        }
        if let a = allocation {
            lines.append("allocate:")
            lines.append("  budget: \(a.budget)")
            lines.append("  sensitivity_windows: \(a.sensitivityWindows)")
            lines.append("  candidates:")
            lines += a.candidates.map { "    - \(Self.yaml($0))" }
        }
        if let t = pipeline.tuning {
            lines.append("finetune: {epochs: \(t.epochs), lr: \(t.learningRate), batch: \(t.batchWindows), held_out: \(t.heldOutFraction), "
                         + "patience: \(t.patience), train: [\(t.groups.map(\.rawValue).joined(separator: ", "))]}")
        }
        if let output { lines.append("output: \(quoted(output))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One method as a flow mapping, every setting that applies spelled out (from the method schema).
    public static func yaml(_ m: LayerMethod) -> String {
        "{" + (["name: \(m.name)"] + MethodSchema.orderedValues(of: m).map { "\($0.setting.key): \($0.value.text)" })
            .joined(separator: ", ") + "}"
    }
}

/// A YAML double-quoted scalar. Line breaks, tabs and the characters YAML does not allow in a stream are written
/// as escapes: a literal line break inside the quotes would be folded to a space when read back.
private func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case " "..."~", "\u{A0}"..."\u{2027}", "\u{202A}"..."\u{D7FF}", "\u{E000}"..."\u{FEFE}", "\u{FF00}"..."\u{FFFD}",
             "\u{10000}"..."\u{10FFFF}":
            out.unicodeScalars.append(scalar)
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out += scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
    return out + "\""
}
