import Foundation
import Testing
@testable import Reports

@Suite struct ReportSVGTests {
    @Test func linearTicksAreRoundAndCoverTheRange() {
        let a = NiceTicks.linear(0, 0.93, count: 5)
        #expect(a.lo == 0 && a.hi == 1 && a.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let b = NiceTicks.linear(-7, 23, count: 5)
        #expect(b.ticks == [-10, 0, 10, 20, 30] && b.lo == -10 && b.hi == 30)
        let c = NiceTicks.linear(1, 30, count: 5)
        #expect(c.ticks == [0, 10, 20, 30])
        let d = NiceTicks.linear(0.1, 0.3, count: 3)
        #expect(d.ticks == [0.1, 0.2, 0.3])
    }

    @Test func degenerateLinearRangesAreWidened() {
        #expect(NiceTicks.linear(3, 3, count: 5).ticks == [1, 2, 3, 4, 5])
        #expect(NiceTicks.linear(0, 0).ticks.first == -1 && NiceTicks.linear(0, 0).ticks.last == 1)
        #expect(NiceTicks.linear(.nan, 1).ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceTicks.linear(5, -5).ticks == [-6, -4, -2, 0, 2, 4, 6])
        #expect(NiceTicks.linear(-.greatestFiniteMagnitude, .greatestFiniteMagnitude).hi == 1)
    }

    @Test func logTicksAreDecades() {
        let a = NiceTicks.log(0.0023, 0.41)
        #expect(a.lo == 1e-3 && a.hi == 1 && a.ticks == [1e-3, 1e-2, 1e-1, 1])
        let b = NiceTicks.log(0.02, 0.09)
        #expect(b.lo == 0.01 && b.hi == 0.1 && b.ticks.count == 4)
        #expect(zip(b.ticks, [0.01, 0.02, 0.05, 0.1]).allSatisfy { abs($0 - $1) < 1e-15 })   // fp64: ≲ 10 ulps of 0.1
        let c = NiceTicks.log(1e-12, 1)
        #expect(c.ticks.count == 5 && c.ticks.first == 1e-12 && c.ticks.last == 1)
        #expect(NiceTicks.log(0.01, 0.01).hi == 0.1 && NiceTicks.log(0, -1).ticks == [0.1, 1])
    }

    @Test func logScaleMapsDecadesEvenlyAndClamps() {
        let y = LogScale(0.002, 0.9, range: (200, 0))   // decades 1e-3 … 1, bottom to top
        #expect(y.position(1e-3) == 200 && y.position(1) == 0)
        // fp64 log10 and an affine map onto 0…200: a few ulps of 200 (2.8e-14 each).
        #expect(abs(y.position(1e-2) - 200 * 2 / 3) < 1e-9 && abs(y.position(pow(10, -1.5)) - 100) < 1e-9)
        #expect(y.position(0) == 200 && y.position(-1) == 200 && y.position(.nan) == 200 && y.position(1e-9) == 200)
        #expect(y.position(50) == 0)
    }

    @Test func linearScaleMapsAndClamps() {
        let x = LinearScale(0, 9.3, range: (60, 360), tickCount: 5)   // domain 0 … 10
        #expect(x.position(0) == 60 && x.position(10) == 360 && x.position(5) == 210)
        #expect(x.position(-3) == 60 && x.position(40) == 360 && x.position(.infinity) == 60)
    }

    @Test func elementsEscapeAndBalance() {
        let e = SVGElement("g", ["class": "a\"b"], children: [
            SVGElement("rect", ["x": 1.0, "width": 2.5, "y": -0.001, "height": Double.nan]),
            .label("<x & y>", x: 3, y: 4),
        ])
        #expect(e.render() == "<g class=\"a&quot;b\"><rect x=\"1\" width=\"2.5\" y=\"0\" height=\"0\"/>"
            + "<text x=\"3\" y=\"4\" text-anchor=\"start\" class=\"label\">&lt;x &amp; y&gt;</text></g>")
        #expect(SVGElement.polyline([(0, 1), (2.25, 3)], stroke: "#000").render().contains("points=\"0,1 2.25,3\""))
        #expect(XMLText.escape("a\u{1}b'c") == "ab&#39;c")
    }

    @Test func colourRampRunsFromPaleToDarkAndGreysMissing() {
        #expect(ColorRamp.color(0) == "#ffffcc" && ColorRamp.color(1) == "#800026")
        #expect(ColorRamp.color(-2) == ColorRamp.color(0) && ColorRamp.color(7) == ColorRamp.color(1))
        #expect(ColorRamp.color(.nan) == ColorRamp.missing)
    }
}
