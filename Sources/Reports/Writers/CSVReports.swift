import Engine

/// `layers.csv` and `sweeps.csv`: the layer table and every solver report, for pandas and spreadsheets.
enum CSVReports {
    /// One row per listed layer with its state (`done`, `cancelled after 10 of 30`, `failed: …`, `pending`);
    /// the numbers are those of the layer's result, empty when it has none.
    static func layers(_ report: RunReport) -> String {
        var table = CSVTable(header: ["name", "block", "rows", "cols", "state", "method", "bits", "rel_err", "bits_per_weight",
                                      "outliers", "seconds", "calibration_tokens"])
        let results = Dictionary(report.layers.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        let listed = Dictionary(report.info.layers.map { ($0.name, $0) }, uniquingKeysWith: { _, b in b })
        for name in report.layerOrder {
            let state = report.state(of: name).description
            if let l = results[name] {
                table.rows.append([l.name, "\(l.block)", "\(l.rows)", "\(l.cols)", state, l.method.summary, "\(l.bits)", "\(l.relErr)",
                                   "\(l.bitsPerWeight)", "\(l.outliers)", "\(l.seconds)", "\(l.calibrationTokens)"])
            } else if let info = listed[name] {
                table.rows.append([name, "\(info.block)", "\(info.rows)", "\(info.cols)", state, "", "", "", "", "", "", ""])
            }
        }
        return table.text
    }

    /// One row per solver report, layers in model order.
    static func sweeps(_ report: RunReport) -> String {
        var table = CSVTable(header: ["layer", "step", "total_steps", "rel_err", "codes_changed", "outliers", "on_grid", "elapsed"])
        for name in report.layerOrder {
            for s in report.sweeps[name] ?? [] {
                table.rows.append([name, "\(s.step)", "\(s.totalSteps)", "\(s.relativeError)", s.codesChanged.map { "\($0)" } ?? "",
                                   "\(s.outliers)", "\(s.onGrid)", "\(s.elapsed)"])
            }
        }
        return table.text
    }
}
