/// How the workbench's ←/→ keys walk a setting's values.
public enum SettingSteps: Sendable, Equatable {
    /// The listed values in order; a value between them first snaps to the nearest.
    case list([SettingValue])
    /// Whole-number steps of this size, clamped to the range.
    case by(Int)
    /// Flip a bool, or move to the next or previous choice (wrapping).
    case cycle

    /// The value one step (`delta` > 0 up, < 0 down) from `value`, kept inside `type`'s range.
    func step(_ value: SettingValue, by delta: Int, type: SettingType) -> SettingValue {
        let up = delta > 0
        switch self {
        case let .list(values):
            guard !values.isEmpty else { return value }
            let i = Self.nearest(value, in: values)
            return values[min(values.count - 1, max(0, i + (up ? 1 : -1)))]
        case let .by(size):
            guard case let .int(v) = value, case let .int(range) = type else { return value }
            let (sum, overflow) = v.addingReportingOverflow(up ? size : -size)
            return .int(overflow ? v : min(range.upperBound, max(range.lowerBound, sum)))
        case .cycle:
            switch (value, type) {
            case let (.bool(b), _): return .bool(!b)
            case let (.choice(c), .choice(names)):
                guard let i = names.firstIndex(of: c), !names.isEmpty else { return names.first.map { .choice($0) } ?? value }
                return .choice(names[(i + (up ? 1 : names.count - 1)) % names.count])
            default: return value
            }
        }
    }

    /// The value after `value` in the list, wrapping at the end (the group-size key cycles).
    func wrapped(_ value: SettingValue) -> SettingValue {
        guard case let .list(values) = self, !values.isEmpty else { return value }
        return values[(Self.nearest(value, in: values) + 1) % values.count]
    }

    private static func nearest(_ value: SettingValue, in values: [SettingValue]) -> Int {
        if let exact = values.firstIndex(of: value) { return exact }
        guard let x = value.number else { return 0 }
        var best = 0
        var distance = Double.infinity
        for (i, v) in values.enumerated() {
            guard let y = v.number, abs(y - x) < distance else { continue }
            (best, distance) = (i, abs(y - x))
        }
        return best
    }
}
