import Foundation
import TUIKit
import Engine

/// The orders of the layer table (`v` walks them): the run's own, then by a column.
public enum TableOrder: String, Sendable, CaseIterable {
    case run, relErr = "rel_err", time, bits, name

    /// The next order in the cycle.
    public var next: TableOrder { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    /// Whether the order puts large values first before `V` reverses it: worst rel_err, slowest, most bits.
    var largestFirst: Bool { self == .relErr || self == .time || self == .bits }

    /// The table column the order sorts by; nil for the run order.
    var column: String? { self == .run ? nil : (self == .name ? "layer" : rawValue) }
}

/// How the layer table shows the run's layers: its order, reversed or not, and the glob that filters it
/// (the scope picker's globs). The selection stays an index into `run.layers`; the table maps its
/// display rows to those indices.
public struct TableView: Sendable, Equatable {
    public var order: TableOrder = .run
    public var reversed = false
    /// The applied filter glob; empty shows every layer.
    public var filter = ""
    /// The glob being typed in the filter prompt (the table follows it while the prompt is open).
    public var draft = ""

    public init() {}

    /// Whether the rows run from large to small.
    public var descending: Bool { order.largestFirst != reversed }

    /// The indices into `run.layers` of the rows shown, in display order, for `filter`. Layers without a
    /// value for the order go last; ties keep the run order.
    public func rows(of run: RunState, filter: String) -> [Int] {
        let layers = Array(run.layers)
        var shown = Array(layers.indices)
        if !filter.isEmpty { shown = shown.filter { layers[$0].info.matches(pattern: filter) } }
        let descending = descending
        switch order {
        case .run:
            return reversed ? shown.reversed() : shown
        case .name:
            return shown.sorted { a, b in
                let c = layers[a].info.name.compare(layers[b].info.name, options: .numeric)
                return c == .orderedSame ? a < b : (c == .orderedAscending) != descending
            }
        case .relErr, .time, .bits:
            let key = { (i: Int) -> Double? in
                let row = layers[i]
                switch order {
                case .relErr: return row.shownRelErr
                case .time: return row.shownSeconds
                default: return row.shownBits
                }
            }
            let keys = Dictionary(uniqueKeysWithValues: shown.map { ($0, key($0).flatMap { $0.isNaN ? nil : $0 }) })
            return shown.sorted { a, b in
                switch (keys[a]!, keys[b]!) {
                case let (x?, y?): return x == y ? a < b : (x > y) == descending
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
        }
    }

    /// The title's words for the order: `by rel_err ▼`; nil for the run's own order.
    func label(_ glyphs: GlyphSet) -> String? {
        guard let column = order.column else { return reversed ? "run order reversed" : nil }
        return "by " + column + " " + (descending ? glyphs.descending : glyphs.ascending)
    }
}

extension AppState {
    /// The glob the table shows: the one being typed while the filter prompt is open, else the applied one.
    var shownFilter: String { screen == .filter ? table.draft : table.filter }

    /// The layer-table rows (indices into `run.layers`) in display order.
    func tableRows(_ run: RunState) -> [Int] { table.rows(of: run, filter: shownFilter) }
}

extension RunState.LayerRow {
    /// The rel_err the table shows: the result's when the layer is done, else the solve's latest sweep.
    var shownRelErr: Double? { phase == .done ? summary?.relErr : sweeps.last?.relativeError }

    /// The time the table shows: the result's, or the solve's elapsed time so far.
    var shownSeconds: Double? { (phase == .done ? summary?.seconds : nil) ?? sweeps.last?.elapsed }

    /// The bits the table shows: the result's bits per weight, or while solving the method's nominal bits.
    var shownBits: Double? {
        if phase == .done, let s = summary { return s.bitsPerWeight }
        return phase == .solving ? method.map { Double($0.nominalBits) } : nil
    }
}
