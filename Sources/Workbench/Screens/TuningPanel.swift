import TUIKit
import Engine

/// A block's fine-tuning as it runs, in the convergence panel's place: the training loss per Adam step (a
/// running mean) and the held-out loss at the end of each epoch (the relative output error of the quantized
/// block), with the error before tuning as a dashed level.
struct TuningPanel {
    var tuning: TuningState
    var marker: ChartMarker
    var palette: Palette

    /// Steps the training curve averages over: one mini-batch's loss swings with its windows.
    static let smoothing = 8

    static func chart(_ steps: [TuningProgress], before: Double?) -> LineChart {
        let losses = steps.filter { $0.heldOutLoss == nil }.map(\.loss)
        let smoothed = losses.indices.map { i in
            let window = losses[max(0, i + 1 - smoothing)...i]
            return window.reduce(0, +) / Double(window.count)
        }
        var series = [ChartSeries(label: "train (mean of \(smoothing) steps)", values: smoothed, color: .hiFg)]
        // Held-out checks sit at the step count they followed.
        var heldOut: [Double] = []
        for s in steps {
            if let h = s.heldOutLoss {
                while heldOut.count < s.step - 1 { heldOut.append(.nan) }
                heldOut.append(h)
            }
        }
        series.append(ChartSeries(label: "held out", values: heldOut, kind: .dashed, color: .compareFg))
        if let before { series.append(ChartSeries(label: "before", values: [before], kind: .reference, color: .inactiveFg)) }
        let count = steps.last?.step ?? 0
        return LineChart(series: series, steps: count, marker: .braille, xLabel: "steps", stepName: "step")
    }

    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        let block = tuning.activeBlock ?? tuning.steps.last?.block ?? 0
        let dot = " " + palette.glyphs.dot + " "
        let inner = Box(title: "Fine-tuning" + dot + "block \(block)").draw(in: rect, on: &buffer, palette: palette)
        guard inner.height >= 4 else { return }
        let steps = tuning.steps.filter { $0.block == block }
        let checks = steps.compactMap(\.heldOutLoss)
        var facts: [String] = []
        if let last = steps.last { facts.append("epoch \(last.epoch)/\(last.epochs)" + dot + "step \(last.step)") }
        if let first = checks.first, let latest = checks.last { facts.append("held-out " + Text.scientific(first) + " → " + Text.scientific(latest)) }
        buffer.put(Text.truncate(facts.joined(separator: dot), to: inner.width - 1, ellipsis: palette.glyphs.ellipsis),
                   at: Point(x: inner.x + 1, y: inner.y), style: palette.style(.hiFg))
        var chart = Self.chart(steps, before: checks.first)
        chart.marker = marker
        chart.emptyText = "fine-tuning: waiting for the first step"
        chart.draw(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1), on: &buffer, palette: palette)
    }
}
