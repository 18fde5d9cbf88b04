import Engine

/// `layers.csv` and `sweeps.csv`: the layer table and every solver report, for pandas and spreadsheets.
enum CSVReports {
    static func layers(_ report: RunReport) -> String {
        var table = CSVTable(header: ["name", "block", "rows", "cols", "method", "bits", "rel_err", "bits_per_weight",
                                      "outliers", "seconds", "calibration_tokens"])
        for l in report.layers {
            table.rows.append([l.name, "\(l.block)", "\(l.rows)", "\(l.cols)", l.method, "\(l.bits)", "\(l.relErr)",
                               "\(l.bitsPerWeight)", "\(l.outliers)", "\(l.seconds)", "\(l.calibrationTokens)"])
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
