import Engine
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The list of methods `c` compares with: edited in the method panel, each at its own bits; recipes fill it.
@Suite struct ComparisonListTests {
    let gptq4 = LayerMethod.gptq(try! GPTQOptions(grid: try! GridOptions(bits: 4)))
    let rtn3 = LayerMethod.rtn(try! GridOptions(bits: 3))

    /// The method panel open on the comparison row `field`.
    func panel(on field: MethodField, _ state: AppState = Fixtures.app()) -> AppState {
        var s = press([.char("m")], state).0
        s.field = MethodField.fields(for: s.method).firstIndex(of: field)!
        return s
    }

    @Test func eachComparisonHasItsOwnBitsAndCRunsThemAll() {
        // GPTQ at 4 bits, then RTN added (it follows the method's 3 bits).
        let s = panel(on: .comparisonSetting(0, "bits"))
        let (edited, _) = press([.right, .char("a"), .escape], s)
        #expect(edited.method.comparisons == [ComparisonDraft(kind: .gptq, overrides: ["bits": .int(4)]), ComparisonDraft(kind: .rtn)])
        let (after, effects) = press([.char("c")], edited)
        #expect(effects == [.engine(.compare(layer: "1.attention.self.value", method: gptq4)),
                            .engine(.compare(layer: "1.attention.self.value", method: rtn3))])
        #expect(after.pending?.text(ellipsis: "…") == "comparing 1.attention.self.value with GPTQ 4-bit and RTN 3-bit… 0/2")
        // The main bits move RTN (it follows them) but not GPTQ (it has its own).
        let (four, _) = press([.char("+")], edited)
        #expect(try! four.method.comparisonMethods() == [gptq4, .rtn(try! GridOptions(bits: 4))])
    }

    @Test func thePanelShowsEveryComparisonAndWhatFollowsTheMethod() {
        let (s, _) = press([.char("a")], panel(on: .comparison(0)))
        let text = App.render(s, run: Fixtures.run(), size: s.size).text
        #expect(text.contains("compare with (c)") && text.contains("and with") && text.contains("3 (as the method)"))
        #expect(s.field == MethodField.fields(for: s.method).firstIndex(of: .comparison(1)), "the new comparison is selected")
        #expect(s.message == "compare also with rtn (2 methods)")
    }

    @Test func removingTheLastComparisonLeavesNothingToCompare() {
        let (s, _) = press([.backspace], panel(on: .comparisonSetting(0, "group_size")))
        #expect(s.method.comparisons.isEmpty && s.message == "no longer comparing with gptq (a adds one)")
        #expect(MethodField.fields(for: s.method).last == .noComparison)
        let (main, effects) = press([.escape, .char("c")], s)
        #expect(effects.isEmpty && main.message == "no method to compare with: add one in the method panel (m, then a)")
        // ←/→ on the empty row adds one again.
        let (again, _) = press([.right], panel(on: .noComparison, main))
        #expect(again.method.comparisons.map(\.kind) == [.gptq])
        // Backspace elsewhere says what it does.
        #expect(press([.backspace], panel(on: .kind)).0.message == "move to a comparison to remove it")
    }

    @Test func aRecipeBringsItsComparisonsExactly() {
        // minilm-quantease-3bit compares with GPTQ and RTN at 3 bits.
        let (s, _) = press([.char("o"), .enter])
        let (_, effects) = press([.char("c")], s)
        #expect(effects == Fixtures.recipes[0].compare.map { .engine(.compare(layer: "1.attention.self.value", method: $0)) })
        // A recipe's comparison keeps its own settings when the main bits change.
        let (four, _) = press([.char("+")], s)
        #expect(try! four.method.comparisonMethods() == Fixtures.recipes[0].compare)
    }
}
