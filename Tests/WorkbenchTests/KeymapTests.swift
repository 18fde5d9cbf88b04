import Testing
@testable import Workbench
import TUIKit

@Suite("TUI keymap") struct TUIKeymapTests {
    let keymap = Keymap.standard

    @Test func arrowsAndVimKeysMoveTheSame() {
        #expect(keymap.action(for: .up, on: .main) == .up && keymap.action(for: .char("k"), on: .main) == .up)
        #expect(keymap.action(for: .down, on: .main) == .down && keymap.action(for: .char("j"), on: .main) == .down)
        #expect(keymap.action(for: .char("j"), on: .help) == .down)
    }

    @Test func theBriefsKeys() {
        let expected: [(Key, Action)] = [
            (.char("?"), .help), (.char("q"), .quit), (.ctrl("c"), .quit), (.enter, .solve), (.char("+"), .bitsUp), (.char("-"), .bitsDown),
            (.char("["), .outliersDown), (.char("]"), .outliersUp), (.char("s"), .sweepsDown), (.char("S"), .sweepsUp),
            (.char("g"), .groupSize), (.char("m"), .methodPanel), (.char("c"), .compare), (.char("p"), .pauseResume),
            (.char("x"), .cancel), (.char("e"), .export), (.char("w"), .heatmapView), (.char("/"), .layerScope), (.char("d"), .sample),
            (.char("v"), .sortNext), (.char("V"), .sortReverse), (.char("W"), .worstFirst), (.char("f"), .filter), (.tab, .focus),
            (.left, .cellLeft), (.right, .cellRight), (.escape, .close),
        ]
        for (key, action) in expected { #expect(keymap.action(for: key, on: .main) == action, "\(key)") }
    }

    @Test func ctrlCQuitsFromEveryScreenAndEscCloses() {
        for screen in Screen.allCases { #expect(keymap.action(for: .ctrl("c"), on: screen) == .quit) }
        for screen in [Screen.help, .methodPanel, .recipes, .scope, .sample, .filter] { #expect(keymap.action(for: .escape, on: screen) == .close) }
    }

    @Test func noKeyIsBoundTwiceOnAScreen() {
        for screen in Screen.allCases {
            var seen: [Key: Action] = [:]
            for b in keymap.bindings(on: screen) {
                for k in b.keys {
                    #expect(seen[k] == nil || seen[k] == b.action, "\(k) bound to \(seen[k]!) and \(b.action) on \(screen)")
                    if seen[k] == nil { seen[k] = b.action }
                }
            }
        }
    }

    @Test func helpListsEveryBinding() {
        let lines = HelpOverlay(keymap: keymap, scroll: 0).lines(.unicode).map(\.text)
        for b in keymap.bindings where !b.screens.isDisjoint(with: Set(Screen.allCases).subtracting([.help])) {
            #expect(lines.contains { $0.contains(b.help) }, "help lacks \(b.help)")
        }
        #expect(lines.contains { $0.hasPrefix("  ↑ k") })
    }
}
