import Foundation

/// A series of a `LineChart`.
public struct ChartSeries: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Values per step, joined by a line.
        case line
        /// Values per step, joined by a dashed line and labelled with the final value (another method's curve).
        case dashed
        /// A single level drawn as a dashed horizontal line, labelled with its value (another method's result).
        case reference
    }

    /// The name in labels and the readout, e.g. `GPTQ 3-bit`.
    public var label: String
    public var values: [Double]
    public var kind: Kind
    public var color: ThemeKey
    /// A series of interest: the focus fit follows it. Context (earlier solves, drawn faint) does not.
    public var focus: Bool

    public init(label: String, values: [Double], kind: Kind = .line, color: ThemeKey, focus: Bool = true) {
        self.label = label
        self.values = values
        self.kind = kind
        self.color = color
        self.focus = focus
    }

    /// The last value the chart can plot.
    public var final: Double? { ChartScale.plottable(values).last }

    /// The value at 1-based `step`: a level's value at every step, a curve's where it has one.
    public func value(at step: Int) -> Double? {
        if kind == .reference { return final }
        guard values.indices.contains(step - 1) else { return nil }
        let v = values[step - 1]
        return v > 0 && v.isFinite ? v : nil
    }

    /// What the plot writes beside a level or a dashed curve: `GPTQ 3-bit 0.0181`.
    var tag: String { final.map { label + " " + Text.scientific($0) } ?? label }
}

/// A line chart of positive values on a log₁₀ y axis (rel_err spans decades), steps on x. Lines are drawn
/// with braille dots (2×4 per cell), block eighths, or ASCII strokes, per `marker`; dashed curves and
/// levels carry a label with their final value. The y axis fits the focus series or every value (`fit`);
/// values off the axis are clipped with a marker at its edge. A `cursor` draws a vertical marker and a
/// readout line of every series' value at that step.
///
/// ```swift
/// LineChart(series: [ChartSeries(label: "QuantEase", values: curve, color: .hiFg)], steps: 30, marker: .braille,
///           xLabel: "sweeps", cursor: 12).draw(in: rect, on: &buffer, palette: palette)
/// ```
public struct LineChart: Sendable {
    public var series: [ChartSeries]
    /// Steps on the x axis (at least the longest series).
    public var steps: Int
    public var marker: ChartMarker
    public var xLabel: String
    /// What the chart says while it has nothing to plot.
    public var emptyText: String
    public var fit: ChartFit
    /// The 1-based step under the cursor, or nil for no cursor.
    public var cursor: Int?
    /// What the readout calls a step (`sweep 12`).
    public var stepName: String
    /// What the x axis writes under each step (1-based order), e.g. the budgets a sweep ran at; nil: the step numbers.
    public var stepLabels: [String]?

    public init(series: [ChartSeries], steps: Int, marker: ChartMarker, xLabel: String, emptyText: String = "nothing to plot yet",
                fit: ChartFit = .focus, cursor: Int? = nil, stepName: String = "step", stepLabels: [String]? = nil) {
        self.series = series
        self.steps = steps
        self.marker = marker
        self.xLabel = xLabel
        self.emptyText = emptyText
        self.fit = fit
        self.cursor = cursor
        self.stepName = stepName
        self.stepLabels = stepLabels
    }

    /// The y axis this chart draws with, nil when there is nothing to plot.
    public var scale: ChartScale? { fit == .focus ? ChartScale.focus(series) : ChartScale.all(series) }

    /// Steps on the x axis.
    var columns: Int { max(steps, series.map(\.values.count).max() ?? 1, 2) }

    /// The cell column of 0-based step `i` on a plot `width` wide.
    func column(_ i: Int, width: Int) -> Int { Int((Double(i) / Double(columns - 1) * Double(width - 1)).rounded()) }

    /// The series in readout order: the current curves first, then the other series of interest, then context.
    var readoutOrder: [ChartSeries] {
        series.filter { $0.focus && $0.kind == .line }.reversed() + series.filter { $0.focus && $0.kind != .line }
            + series.filter { !$0.focus }.reversed()
    }

    public func draw(in rect: Rect, on buffer: inout CellBuffer, palette: Palette) {
        guard rect.width >= 12, rect.height >= 3 else { return }
        guard let scale else {
            buffer.put(Text.truncate(emptyText, to: rect.width - 1, ellipsis: palette.glyphs.ellipsis), at: Point(x: rect.x + 1, y: rect.y + rect.height / 2),
                       style: palette.style(.inactiveFg), maxWidth: rect.width - 1)
            return
        }
        var area = rect
        let cursor = self.cursor.map { min(columns, max(1, $0)) }
        if let cursor, rect.height >= 5 {
            drawReadout(at: cursor, in: rect.row(0), on: &buffer, palette: palette)
            area = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        }
        let rows = area.height - 1
        let ticks = scale.ticks(rows: rows)
        let labelWidth = max(5, ticks.map { CharWidth.of($0.label) }.max() ?? 0) + 1
        let plot = Rect(x: area.x + labelWidth, y: area.y, width: area.width - labelWidth, height: rows)
        guard plot.width >= 4 else { return }
        drawAxes(scale, ticks: ticks, labelWidth: labelWidth, plot: plot, on: &buffer, palette: palette)

        for s in series where s.kind != .reference {
            switch marker {
            case .braille where palette.glyphs.unicode: drawBraille(s, scale: scale, plot: plot, on: &buffer, palette: palette)
            case .block where palette.glyphs.unicode: drawBlocks(s, scale: scale, plot: plot, on: &buffer, palette: palette)
            default: drawASCII(s, scale: scale, plot: plot, on: &buffer, palette: palette)
            }
        }
        drawClipMarkers(scale: scale, plot: plot, on: &buffer, palette: palette)
        var labels = ChartLabels(plot: plot, dash: palette.glyphs.dash)
        drawLevels(scale: scale, plot: plot, labels: &labels, on: &buffer, palette: palette)
        if let cursor {
            let x = plot.x + column(cursor - 1, width: plot.width)
            for y in plot.y..<plot.maxY where buffer[x, y]?.symbol == " " {
                buffer.set(x, y, Cell(palette.glyphs.vertical, style: palette.style(.inactiveFg)))
            }
        }
        for s in series where s.kind == .dashed {
            guard let v = s.final, let y = scale.position(v, rows: plot.height), ChartScale.onAxis(y, rows: plot.height) else { continue }
            labels.want(" " + s.tag + " ", row: Int(y.rounded()), style: palette.style(s.color))
        }
        labels.place(on: &buffer, ellipsis: palette.glyphs.ellipsis)
    }

    private func drawAxes(_ scale: ChartScale, ticks: [(value: Double, label: String)], labelWidth: Int, plot: Rect, on buffer: inout CellBuffer,
                          palette: Palette) {
        let axisStyle = palette.style(.graphText)
        // Y labels at least two rows apart; the lowest tick wins over the one above it.
        var lastRow = -2
        for (i, t) in ticks.enumerated() {
            guard let p = scale.position(t.value, rows: plot.height), ChartScale.onAxis(p, rows: plot.height) else { continue }
            let row = Int(p.rounded())
            let lowest = i == ticks.count - 1
            guard row - lastRow >= 2 || lowest else { continue }
            if row - lastRow < 2 { buffer.fill(Rect(x: plot.x - labelWidth, y: plot.y + lastRow, width: labelWidth, height: 1)) }
            buffer.put(Text.pad(t.label, to: labelWidth - 1, right: true), at: Point(x: plot.x - labelWidth, y: plot.y + row), style: axisStyle)
            lastRow = row
        }
        // X axis: ticks at the start, middle and end.
        let axisY = plot.maxY
        let n = columns
        for t in [1, (n + 1) / 2, n] {
            let x = plot.x + column(t - 1, width: plot.width)
            let s = stepLabel(t)
            buffer.put(s, at: Point(x: min(x, plot.maxX - CharWidth.of(s)), y: axisY), style: axisStyle)
        }
        let xl = " " + xLabel
        if plot.width > 24, !xLabel.isEmpty { buffer.put(xl, at: Point(x: plot.maxX - CharWidth.of(xl) - 4, y: axisY), style: axisStyle) }
    }

    /// What the axis and the readout call 1-based `step`: its label, or its number.
    private func stepLabel(_ step: Int) -> String {
        stepLabels.flatMap { $0.indices.contains(step - 1) ? $0[step - 1] : nil } ?? String(step)
    }

    /// `sweep 12 · QuantEase 0.0167 · GPTQ 3-bit 0.0181 · …`, each part in its series' colour.
    private func drawReadout(at step: Int, in row: Rect, on buffer: inout CellBuffer, palette: Palette) {
        let sep = " " + palette.glyphs.dot + " "
        var parts: [(String, Style)] = [(" \(stepName) " + stepLabel(step), palette.style(.graphText).with(.bold))]
        for s in readoutOrder {
            guard let v = s.value(at: step) else { continue }
            parts.append((sep, palette.style(.graphText)))
            parts.append(((s.label.isEmpty ? "" : s.label + " ") + Text.scientific(v), palette.style(s.color)))
        }
        var x = row.x
        for (text, style) in parts {
            let room = row.maxX - x
            guard room > 0 else { break }
            let t = CharWidth.of(text) > room ? Text.truncate(text, to: room, ellipsis: palette.glyphs.ellipsis) : text
            x += buffer.put(t, at: Point(x: x, y: row.y), style: style, maxWidth: room)
        }
    }

    /// A curve's steps off the axis: a marker in its colour on the top or bottom row at each such step.
    private func drawClipMarkers(scale: ChartScale, plot: Rect, on buffer: inout CellBuffer, palette: Palette) {
        for s in series where s.kind != .reference {
            let style = palette.style(s.color)
            for (i, v) in s.values.enumerated() {
                guard let y = scale.position(v, rows: plot.height), !ChartScale.onAxis(y, rows: plot.height) else { continue }
                let above = y < 0
                buffer.set(plot.x + column(i, width: plot.width), above ? plot.y : plot.maxY - 1,
                           Cell(above ? palette.glyphs.clipAbove : palette.glyphs.clipBelow, style: style))
            }
        }
    }

    /// Levels: every one on the axis is drawn as a dashed line across the cells the curves left free (two on
    /// one row take turns), its label placed near it; a level off the axis gets its label on the edge row
    /// it lies beyond, behind a clip marker.
    private func drawLevels(scale: ChartScale, plot: Rect, labels: inout ChartLabels, on buffer: inout CellBuffer, palette: Palette) {
        var sharing: [Int: Int] = [:]
        for s in series where s.kind == .reference {
            guard let v = s.final, let y = scale.position(v, rows: plot.height) else { continue }
            let style = palette.style(s.color)
            guard ChartScale.onAxis(y, rows: plot.height) else {
                let above = y < 0
                labels.want(" " + (above ? palette.glyphs.clipAbove : palette.glyphs.clipBelow) + " " + s.tag + " ", row: above ? 0 : plot.height - 1,
                            style: style)
                continue
            }
            let row = Int(y.rounded())
            let turn = sharing[row, default: 0]
            sharing[row] = turn + 1
            let phase = turn % 2
            for x in stride(from: plot.x + phase, to: plot.maxX, by: 2) where buffer[x, plot.y + row]?.symbol == " " {
                buffer.set(x, plot.y + row, Cell(palette.glyphs.dash, style: style))
            }
            labels.level(row: row)
            labels.want(" " + s.tag + " ", row: row, style: style)
        }
    }
}
