import Engine

/// The labelled facts both human-readable reports show, in one place so they say the same thing.
enum ReportFacts {
    /// A labelled value; values are user strings and still need escaping.
    struct Fact {
        var label: String
        var value: String
    }

    /// A layer's run result (nil when the layer did not finish) and its other solves.
    struct ComparisonGroup {
        var layer: String
        var main: LayerSummary?
        var others: [LayerSummary]
    }

    /// Model, method, pipeline, calibration, recipe, environment, times and status.
    static func rows(_ r: RunReport) -> [Fact] {
        let i = r.info
        let parameters = i.layers.reduce(0.0) { $0 + Double($1.rows) * Double($1.cols) }
        let env = r.environment
        var facts = [
            Fact(label: "Model", value: "\(i.model) (\(i.architecture), \(i.blocks) blocks, \(i.layers.count) linears, "
                + "\(ReportNumber.count(parameters)) weights)"),
            Fact(label: "Method", value: i.method.summary),
            Fact(label: "Pipeline", value: i.pipeline),
            Fact(label: "Calibration", value: i.calibration),
        ]
        if let name = r.recipeName { facts.append(Fact(label: "Recipe", value: name)) }
        let machine = ["\(env.cpuModel), \(env.cores) cores, \(env.blas)", env.os, env.swift].compactMap { $0 }
        facts.append(Fact(label: "Environment", value: machine.joined(separator: "; ")))
        facts.append(Fact(label: "Tool", value: "quantbench \(r.toolVersion), report schema \(r.schemaVersion)"))
        facts.append(Fact(label: "Started", value: r.timings.started))
        for (i, part) in (r.timings.parts ?? []).enumerated().dropFirst() {
            facts.append(Fact(label: "Resumed", value: "\(part.started) (part \(i + 1), \(ReportNumber.duration(part.seconds)))"))
        }
        if let end = r.timings.finished { facts.append(Fact(label: "Finished", value: end)) }
        facts.append(Fact(label: "Status", value: r.statusLine))
        return facts
    }

    /// rel_err statistics, bits per weight, outliers and times.
    static func summary(_ r: RunReport) -> [Fact] {
        let s = r.summary
        var facts = [
            Fact(label: "Layers finished", value: "\(s.finishedLayers) of \(s.totalLayers)" + (s.failedLayers > 0 ? " (\(s.failedLayers) failed)" : "")),
            Fact(label: "Median rel_err", value: ReportNumber.optionalRelErr(s.medianRelErr)),
            Fact(label: "Worst rel_err", value: ReportNumber.optionalRelErr(s.worstRelErr) + (s.worstLayer.map { " (\($0))" } ?? "")),
            Fact(label: "Mean bits per weight (parameter-weighted)", value: s.meanBitsPerWeight.map { ReportNumber.fixed($0, 3) } ?? "–"),
            Fact(label: "Outliers kept", value: "\(s.totalOutliers)"),
        ]
        if let total = r.timings.totalSeconds {
            let parts = r.timings.parts?.count ?? 1
            facts.append(Fact(label: "Wall time", value: ReportNumber.duration(total) + (parts > 1 ? " over \(parts) parts" : "")))
        }
        facts.append(Fact(label: "Solver time", value: ReportNumber.duration(r.timings.solverSeconds)))
        for (phase, seconds) in r.timings.phaseSeconds.sorted(by: { $0.key < $1.key }) {
            facts.append(Fact(label: "Phase \(phase)", value: ReportNumber.duration(seconds)))
        }
        return facts
    }

    /// Layers with comparisons, in model order.
    static func comparisonGroups(_ r: RunReport) -> [ComparisonGroup] {
        let main = Dictionary(r.layers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return r.layerOrder.compactMap { name in
            r.comparisons[name].map { ComparisonGroup(layer: name, main: main[name], others: $0) }
        }
    }
}
