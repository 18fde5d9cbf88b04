/// A colour theme: a value for every `ThemeKey`. Loaded from btop-style `.theme` files by
/// `ThemeParser`; keys a file leaves out keep the built-in default-dark value (as btop does).
public struct Theme: Sendable, Equatable {
    public var name: String
    public private(set) var colors: [ThemeKey: Color]

    public init(name: String, colors: [ThemeKey: Color]) {
        self.name = name
        var all = Theme.builtinDark
        for (k, v) in colors { all[k] = v }
        self.colors = all
    }

    public subscript(key: ThemeKey) -> Color { colors[key] ?? .terminalDefault }

    /// The built-in theme, identical to the shipped `Themes/default-dark.theme`.
    public static let defaultDark = Theme(name: "default-dark", colors: [:])

    /// `steps` colours of a gradient family. Stops that are all palette entries (a 16-colour theme)
    /// are not blended: each step takes the nearest stop.
    public func gradient(_ key: GradientKey, steps: Int) -> [Color] {
        let (a, b, c) = key.stops
        let stops = [self[a], self[b], self[c]]
        guard steps > 1 else { return [stops[0]] }
        return (0..<steps).map { i in
            let t = Double(i) / Double(steps - 1)
            let pos = t * 2
            let k = min(1, Int(pos))
            let f = pos - Double(k)
            let from = stops[k], to = stops[k + 1]
            if case .indexed = from, case .indexed = to { return f < 0.5 ? from : to }
            guard let x = from.rgbValue, let y = to.rgbValue else { return f < 0.5 ? from : to }
            let mix = { (p: UInt8, q: UInt8) in UInt8((Double(p) + (Double(q) - Double(p)) * f).rounded()) }
            return .rgb(mix(x.0, y.0), mix(x.1, y.1), mix(x.2, y.2))
        }
    }

    static let builtinDark: [ThemeKey: Color] = [
        .mainBg: .terminalDefault, .mainFg: .rgb(0xcc, 0xcc, 0xcc), .title: .rgb(0xee, 0xee, 0xee), .hiFg: .rgb(0x5f, 0xaf, 0xff),
        .selectedBg: .rgb(0x2e, 0x3f, 0x5c), .selectedFg: .rgb(0xff, 0xff, 0xff), .inactiveFg: .rgb(0x6c, 0x6c, 0x6c),
        .border: .rgb(0x4e, 0x5a, 0x6e), .statusBg: .rgb(0x1f, 0x24, 0x30), .statusFg: .rgb(0xc0, 0xc6, 0xd0),
        .graphText: .rgb(0x9a, 0xa4, 0xb2), .outlierFg: .rgb(0xff, 0x8f, 0x40), .compareFg: .rgb(0xb4, 0x8e, 0xad),
        .runningFg: .rgb(0xe5, 0xc0, 0x7b), .doneFg: .rgb(0x98, 0xc3, 0x79), .failedFg: .rgb(0xe0, 0x6c, 0x75),
        .warningFg: .rgb(0xe5, 0xc0, 0x7b),
        .objectiveStart: .rgb(0x5f, 0xd7, 0xff), .objectiveMid: .rgb(0x5f, 0x87, 0xff), .objectiveEnd: .rgb(0xaf, 0x5f, 0xff),
        .heatStart: .rgb(0x2b, 0x83, 0xba), .heatMid: .rgb(0xff, 0xff, 0xbf), .heatEnd: .rgb(0xd7, 0x19, 0x1c),
        .utilStart: .rgb(0x4c, 0x56, 0x6a), .utilMid: .rgb(0x88, 0xc0, 0xd0), .utilEnd: .rgb(0xa3, 0xbe, 0x8c),
    ]
}
