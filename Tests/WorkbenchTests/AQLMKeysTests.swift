import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// With AQLM chosen, the header names its scheme and bits per weight, the main screen's grid keys say why
/// they do not apply and what to use, and every AQLM setting of the schema is a panel row.
@Suite("AQLM in the workbench") struct AQLMKeysTests {
    static func aqlm(_ size: Size = Size(width: 120, height: 40)) -> AppState {
        var s = Fixtures.app(size)
        s.method = MethodDraft(.aqlm(try! AQLMOptions()))
        return s
    }

    @Test func headerShowsTheSchemeAndBitsPerWeight() {
        let s = Self.aqlm()
        let header = App.render(s, run: Fixtures.run(), size: s.size).lines[0]
        let bits = s.method.effectiveBits(rows: 384, cols: 384)!
        #expect(header.hasSuffix("aqlm 2x8 g8 · " + Text.fixed(bits, 2) + " bits/w "), "\(header)")
        #expect(!header.contains("3 bit"))
        // Without a layer the nominal M·B/g.
        #expect(App.render(s, run: RunState(), size: s.size).lines[0].hasSuffix("aqlm 2x8 g8 · 2.00 bits/w "))
    }

    @Test func gridKeysSayWhyNotAndWhatInstead() {
        let s = Self.aqlm()
        for key in [Key.char("+"), .char("-")] {
            let (after, effects) = press([key], s)
            #expect(after.method == s.method && effects.isEmpty, "bits change nothing for AQLM")
            #expect(after.message == "bits: not for aqlm (only rtn, gptq, quantease, quantease-outlier); "
                    + "set codebooks (M), bits per codebook (B), group size (g) in the method panel (m)")
        }
        let g = press([.char("g")], s).0
        #expect(g.method == s.method && g.message?.hasPrefix("group size: not for aqlm") == true && g.message?.contains("group size (g)") == true)
        #expect(press([.char("S")], s).0.message == "sweeps: not for aqlm (only quantease, quantease-outlier); m opens the method panel")
        #expect(press([.char("]")], s).0.message?.hasPrefix("outlier budget: not for aqlm") == true)
    }

    @Test func everyAQLMSettingIsAPanelRowSteppedWithFeedback() throws {
        var s = Self.aqlm()
        s = press([.char("m")], s).0
        let fields = MethodField.fields(for: s.method)
        let schema = MethodSchema.applicable(to: .aqlm).map(\.key)
        #expect(Array(fields.prefix(1 + schema.count)) == [.kind] + schema.map(MethodField.setting), "the method, then every AQLM setting")
        for key in ["num_codebooks", "nbits_per_codebook", "in_group_size", "relative_tolerance", "lr", "init_max_iter", "seed"] {
            #expect(schema.contains(key), "\(key) is in the schema")
        }
        let buffer = App.render(s, run: Fixtures.run(), size: s.size)
        assertSnapshot(buffer.framedText, named: "method-panel-aqlm-120x40")
        let frame = buffer.text
        for key in schema { #expect(frame.contains(MethodSchema.setting(key)!.label), "\(key) row") }
        var tolerance = s
        tolerance.field = fields.firstIndex(of: .setting("relative_tolerance"))!
        #expect(App.render(tolerance, run: Fixtures.run(), size: s.size).text.contains("◂ 0.01 ▸  0…1 or none, default 0.01"),
                "the selected row shows the schema's range and default")
        // ←/→ on each row: the status line says what changed.
        for (i, field) in fields.enumerated() {
            guard case let .setting(key) = field, let setting = MethodSchema.setting(key) else { continue }
            var at = s
            at.field = i
            let (next, _) = App.reduce(at, .key(.right), run: Fixtures.run())
            #expect(next.message?.hasPrefix(setting.label + " ") == true, "\(setting.key): \(next.message ?? "nil")")
        }
    }
}
