import Testing
@testable import TUIKit

@Suite("TUI cell buffer") struct TUICellBufferTests {
    @Test func widthsFollowWcwidth() {
        #expect(CharWidth.of("a") == 1)
        #expect(CharWidth.of("漢") == 2)
        #expect(CharWidth.of("한") == 2)
        #expect(CharWidth.of("⣿") == 1)
        #expect(CharWidth.of("█") == 1)
        #expect(CharWidth.of("─") == 1)
        #expect(CharWidth.of("e\u{301}") == 1)
        #expect(CharWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(CharWidth.of("Hello, 世界") == 11)
        #expect(CharWidth.of("❤\u{FE0F}") == 2)
    }

    @Test func putClipsAtTheEdgeAndPadsAWideCharacterThatDoesNotFit() {
        var b = CellBuffer(size: Size(width: 5, height: 2))
        #expect(b.put("abcdefg", at: Point(x: 0, y: 0), style: .plain) == 5)
        #expect(b.put("ab漢", at: Point(x: 2, y: 1), style: .plain) == 3)
        #expect(b.lines == ["abcde", "  ab "])
        #expect(b.put("x", at: Point(x: 0, y: 5), style: .plain) == 0)
        #expect(b.put("xyz", at: Point(x: -2, y: 0), style: .plain) == 3)
        #expect(b.lines[0] == "zbcde")
    }

    @Test func wideCharactersTakeTwoCellsAndOverwritingHalfBlanksTheOther() {
        var b = CellBuffer(size: Size(width: 6, height: 1))
        b.put("漢字", at: Point(x: 0, y: 0), style: .plain)
        #expect(b[1, 0]?.isContinuation == true)
        #expect(b.lines == ["漢字  "])
        b.put("x", at: Point(x: 1, y: 0), style: .plain)
        #expect(b.lines == [" x字  "])
        b.put("y", at: Point(x: 2, y: 0), style: .plain)
        #expect(b.lines == [" xy   "])
    }

    @Test func diffSendsOnlyChangedRunsAndEverythingOnANewSize() {
        var a = CellBuffer(size: Size(width: 10, height: 3))
        a.put("rel_err", at: Point(x: 0, y: 0), style: .plain)
        #expect(a.diff(from: nil).count == 3)
        var b = a
        b.put("0.0123", at: Point(x: 2, y: 1), style: Style(fg: .indexed(2)))
        b.put("X", at: Point(x: 9, y: 2), style: .plain)
        #expect(b.diff(from: a) == [DrawRun(x: 2, y: 1, style: Style(fg: .indexed(2)), text: "0.0123"),
                                    DrawRun(x: 9, y: 2, style: .plain, text: "X")])
        #expect(b.diff(from: b).isEmpty)
        #expect(b.diff(from: CellBuffer(size: Size(width: 9, height: 3))).count == 5)
    }

    @Test func diffRedrawsAWideCharacterWhole() {
        var a = CellBuffer(size: Size(width: 4, height: 1))
        a.put("ab", at: Point(x: 0, y: 0), style: .plain)
        var b = a
        b.put("漢", at: Point(x: 0, y: 0), style: .plain)
        #expect(b.diff(from: a) == [DrawRun(x: 0, y: 0, style: .plain, text: "漢")])
        #expect(a.diff(from: b) == [DrawRun(x: 0, y: 0, style: .plain, text: "ab")])
    }

    @Test func emptyAndTinyBuffersNeverTrap() {
        for size in [Size(width: 0, height: 0), Size(width: 1, height: 1), Size(width: -3, height: 2)] {
            var b = CellBuffer(size: size)
            b.put("漢字", at: Point(x: 0, y: 0), style: .plain)
            b.fill(Rect(x: -5, y: -5, width: 20, height: 20))
            #expect(b.diff(from: nil).count == (b.size.width > 0 ? b.size.height : 0))
        }
    }
}

@Suite("TUI layout") struct TUILayoutTests {
    @Test func splitsFillTheSpaceExactly() {
        let r = Rect(x: 2, y: 1, width: 50, height: 30)
        let rows = r.splitRows([.fixed(1), .fill(1), .fill(2), .fixed(1)])
        #expect(rows.map(\.height) == [1, 9, 19, 1])
        #expect(rows.last!.maxY == r.maxY)
        let cols = r.splitColumns([.fixed(60), .fill(1)])
        #expect(cols.map(\.width) == [50, 0])
    }

}
