import Foundation
import Testing
@testable import TUIKit

@Suite("TUI themes") struct TUIThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardizedFileURL

    @Test func shippedThemesParseAndSetEveryKey() throws {
        let (themes, errors) = ThemeParser.loadFolder(Self.themesFolder)
        #expect(errors.isEmpty)
        #expect(Set(themes.map(\.name)) == ["default-dark", "light", "tty"])
        for url in try FileManager.default.contentsOfDirectory(at: Self.themesFolder, includingPropertiesForKeys: nil) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for key in ThemeKey.allCases { #expect(text.contains("theme[\(key.rawValue)]="), "\(url.lastPathComponent) lacks \(key.rawValue)") }
        }
    }

    @Test func theShippedDefaultIsTheBuiltInOne() throws {
        let file = try ThemeParser.load(Self.themesFolder.appendingPathComponent("default-dark.theme"))
        #expect(file.colors == Theme.defaultDark.colors)
    }

    @Test func valuesInEveryBtopForm() throws {
        let t = try ThemeParser.parse("""
        # comment
        theme[title]="#FF8000"
        theme[main_fg]="#cc"
        theme[hi_fg]="10 20 30"
        theme[border]="12"
        theme[main_bg]=""
        theme[cpu_box]="#123456"
        """, name: "t")
        #expect(t[.title] == .rgb(255, 128, 0))
        #expect(t[.mainFg] == .rgb(0xcc, 0xcc, 0xcc))
        #expect(t[.hiFg] == .rgb(10, 20, 30))
        #expect(t[.border] == .indexed(12))
        #expect(t[.mainBg] == .terminalDefault)
        #expect(t[.doneFg] == Theme.defaultDark[.doneFg])
    }

    @Test func faultsNameTheLine() {
        #expect(throws: ThemeError(file: "bad", line: 2, message: "title: \"#12345\" is not #RRGGBB, #BW, \"R G B\" or 0–255")) {
            try ThemeParser.parse("theme[main_fg]=\"#ffffff\"\ntheme[title]=\"#12345\"", name: "bad")
        }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("title=#fff", name: "bad") }
        #expect(throws: ThemeError.self) { try ThemeParser.parse("theme[title]=#fff", name: "bad") }
    }

    @Test func colourDepthMapping() {
        #expect(Color.rgb(255, 0, 0).mapped(to: .palette256) == .indexed(196))
        #expect(Color.rgb(128, 128, 128).mapped(to: .palette256) == .indexed(244))
        #expect(Color.rgb(0, 0, 0).mapped(to: .palette256) == .indexed(232))
        #expect(Color.rgb(250, 10, 10).mapped(to: .ansi16) == .indexed(9))
        #expect(Color.rgb(200, 10, 10).mapped(to: .ansi8) == .indexed(1))
        #expect(Color.indexed(12).mapped(to: .ansi8) == .indexed(4))
        #expect(Color.rgb(1, 2, 3).mapped(to: .truecolor) == .rgb(1, 2, 3))
        #expect(Color.rgb(1, 2, 3).mapped(to: .mono) == .terminalDefault)
        #expect(ColorDepth.from(colors: 8, hasColors: true) == .ansi8)
        #expect(ColorDepth.from(colors: 256, hasColors: true) == .palette256)
        #expect(ColorDepth.from(colors: 1 << 24, hasColors: true) == .truecolor)
        #expect(ColorDepth.from(colors: 256, hasColors: false) == .mono)
    }

    @Test func gradientsBlendRGBAndStepPaletteStops() throws {
        let g = Theme.defaultDark.gradient(.heat, steps: 3)
        #expect(g == [Theme.defaultDark[.heatStart], Theme.defaultDark[.heatMid], Theme.defaultDark[.heatEnd]])
        let tty = try ThemeParser.load(Self.themesFolder.appendingPathComponent("tty.theme"))
        #expect(Set(tty.gradient(.heat, steps: 9)) == [.indexed(4), .indexed(3), .indexed(1)])
    }

    @Test func selectionStaysVisibleAtEveryDepth() throws {
        let p = Palette(theme: .defaultDark, depth: .mono, glyphs: .ascii)
        #expect(p.selected == Style(attributes: [.reverse, .bold]) && p.status == Style(attributes: [.reverse]))
        #expect(p.style(.title) == .plain)
        // The dark selection tint becomes black on 8 colours: reverse video instead.
        #expect(Palette(theme: .defaultDark, depth: .ansi8, glyphs: .unicode).selected.attributes.contains(.reverse))
        #expect(Palette(theme: .defaultDark, depth: .palette256, glyphs: .unicode).selected.bg == .indexed(60))
        let tty = try ThemeParser.load(Self.themesFolder.appendingPathComponent("tty.theme"))
        #expect(Palette(theme: tty, depth: .ansi8, glyphs: .unicode).selected.bg == .indexed(4))
    }
}
