import TUIKit
import QuantCore

/// A method `c` compares with: its solver and the settings it sets itself (its bits, group size); every
/// other setting follows the main draft. A recipe's `compare` entry sets all of its own.
public struct ComparisonDraft: Sendable, Equatable {
    public var kind: MethodDraft.Kind
    /// Settings of its own, by schema key.
    public var overrides: [String: SettingValue] = [:]

    public init(kind: MethodDraft.Kind, overrides: [String: SettingValue] = [:]) {
        self.kind = kind
        self.overrides = overrides
    }

    /// A recipe's comparison method, exactly.
    public init(_ method: LayerMethod) {
        self.init(kind: method.methodName, overrides: MethodSchema.values(of: method))
    }

    /// The full draft: the main one with this solver and these settings.
    public func draft(following main: MethodDraft) -> MethodDraft {
        var d = main.with(kind: kind)
        d.values.merge(overrides) { $1 }
        return d
    }

    /// The settings the method panel offers per comparison, as they apply to its solver: the bit width
    /// (bits per codebook for AQLM) and the group size.
    func keys(following main: MethodDraft) -> [String] {
        let d = draft(following: main)
        return [d.bitsKey, "group_size"].filter { MethodSchema.setting($0)?.applies(to: kind, values: d.values) ?? false }
    }
}

extension MethodDraft {
    /// The setting `+`/`−` step: the grid's bit width, or for AQLM the bits per codebook.
    var bitsKey: String { kind == .aqlm ? "nbits_per_codebook" : "bits" }

    /// The methods `c` runs, in list order, or the schema's error naming the bad setting.
    public func comparisonMethods() throws -> [LayerMethod] { try comparisons.map { try $0.draft(following: self).build() } }

    /// Adds a comparison with the first solver the list does not hold yet (after GPTQ, RTN…), following the main bits.
    mutating func addComparison() -> String {
        let used = Set(comparisons.map(\.kind))
        let kind = ([.gptq, .rtn] + Kind.allCases).first { !used.contains($0) && $0 != self.kind } ?? .gptq
        comparisons.append(ComparisonDraft(kind: kind))
        return "compare also with \(kind.rawValue) (\(comparisons.count) methods)"
    }
}
