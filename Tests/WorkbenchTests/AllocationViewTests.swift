import Engine
import Foundation
import QuantCore
import Testing
@testable import Workbench
import TUIKit

/// The bit allocation view (`a`): budgets tried on the run's measurements, ⏎ applying one (the job follows it,
/// the solved layers it changes are solved again), and the plan column of the layer table.
@Suite("TUI bit allocation view") struct AllocationViewTests {
    /// QuantEase at 2, 3 (the fixture run's method) and 4 bits.
    static let candidates: [LayerMethod] = [2, 3, 4].map { bits in
        .quantease(try! QuantEaseOptions(grid: try! GridOptions(bits: bits), sweeps: 30, initialization: .gptq(try! GPTQOptions(grid: try! GridOptions(bits: bits)))))
    }

    /// The fixture run's layers measured: rel_err quartering per bit, the MLP input layers the most sensitive.
    static func plan(budget: Double = 3) -> AllocationPlan {
        let layers = Fixtures.info.layers.enumerated().map { i, l in
            AllocationPlan.Layer(name: l.name, weights: l.rows * l.cols,
                                 points: [2.05, 3.05, 4.05].enumerated().map { c, bits in .init(bitsPerWeight: bits, relativeError: 0.06 / pow(4, Double(c))) },
                                 endToEndDamage: 0, sensitivity: l.name.hasSuffix("intermediate.dense") ? 0.8 : 0.02 + 0.01 * Double(i % 5))
        }
        return try! AllocationPlan(layers: layers, budget: budget, candidates: candidates, metric: .embeddingCosine)
    }

    /// The fixture run (eight layers done with QuantEase 3-bit) following `plan`.
    static func run(_ plan: AllocationPlan = plan()) -> RunState {
        var run = Fixtures.run()
        run.apply(.allocated(plan))
        return run
    }

    /// The fixture app, having seen the run's allocation.
    static func app(_ size: Size = Size(width: 120, height: 40), glyphs: GlyphSet = .unicode, plan: AllocationPlan = plan()) -> AppState {
        var s = Fixtures.app(size, glyphs: glyphs)
        App.observe(&s, .allocated(plan), before: Fixtures.run())
        return s
    }

    func text(_ s: AppState, _ run: RunState) -> String { App.render(s, run: run, size: s.size).text }

    @Test func aOpensTheViewOnlyWhereTheRunHasAnAllocation() {
        let (without, _) = press([.char("a")])
        #expect(without.screen == .main && without.message == "this run of all-MiniLM-L6-v2 has no bit allocation: its recipe has no allocate: section")
        #expect(press([.char("a")], run: RunState()).0.message == "no model yet")
        let (open, effects) = press([.char("a")], Self.app(), run: Self.run())
        #expect(open.screen == .allocation && effects.isEmpty)
        let frame = text(open, Self.run())
        #expect(frame.contains("budget 3 · plan " + Text.fixed(Self.plan().bitsPerWeight, 3) + " bits/w · predicted embedding cosine"))
        // The fixture's layers were all solved at 3 bits; the plan gives some of them another width.
        let differ = open.allocation.offPlan(Self.run()).count
        #expect(differ > 0 && frame.contains("the run follows this plan; \(differ) solved layers differ from it (solved before it or by hand)"))
        for closing in [Key.escape, .char("q"), .char("a")] { #expect(press([.char("a"), closing], Self.app(), run: Self.run()).0.screen == .main) }
        #expect(press([.char("a"), .ctrl("c")], Self.app(), run: Self.run()).1 == [.quit])
    }

    @Test func theArrowsTryBudgetsOnTheMeasurementsAndSendNothing() throws {
        let run = Self.run()
        let (up, effects) = press([.char("a"), .right, .right], Self.app(), run: run)
        let plan = try #require(up.allocation.plan)
        #expect(effects.isEmpty && plan.budget == 3.25 && plan.bitsPerWeight <= 3.25 && plan.bitsPerWeight > 3.05)
        #expect(plan.layers.filter { $0.name.hasSuffix("intermediate.dense") }.allSatisfy { $0.choice == 2 }, "the sensitive layers get 4 bits first")
        var expected = Self.plan()
        try expected.choose(budget: 3.25)
        #expect(plan == expected, "the view's plan is the engine's choice for that budget")
        #expect(text(up, run).contains("the run follows the 3 bits/w plan; ⏎ applies this one"))
        let (least, _) = press([.char("a"), .home], Self.app(), run: run)
        #expect(least.allocation.plan?.budget == Self.plan().feasibleBudgets.lowerBound)
        #expect(least.allocation.plan?.layers.allSatisfy { $0.choice == 0 } == true)
        #expect(press([.left], least, run: run).0.message == "the budget is at its least: every layer at its cheapest candidate")
        let (most, _) = press([.char("a"), .end], Self.app(), run: run)
        #expect(most.allocation.plan?.layers.allSatisfy { $0.choice == 2 } == true)
        #expect(press([.right], most, run: run).0.message == "the budget is at its most: every layer at its dearest candidate")
        // Off the step grid (the least budget), a step lands back on it.
        #expect(press([.right], least, run: run).0.allocation.plan?.budget == 2.125)
    }

    @Test func theCurveSpansTheFeasibleBudgetsAndTheCursorFollowsTheBudget() throws {
        let view = Self.app().allocation
        let range = Self.plan().feasibleBudgets
        #expect(view.curve.first?.budget == range.lowerBound && view.curve.last?.budget == range.upperBound)
        #expect(view.curve.count >= 3 && view.curve.count <= AllocationView.curvePoints)
        #expect(zip(view.curve, view.curve.dropFirst()).allSatisfy { $0.damage >= $1.damage - 1e-12 && $0.budget < $1.budget })
        #expect(zip(view.curve, view.curve.dropFirst()).dropFirst().dropLast().allSatisfy { abs($1.budget - $0.budget - AllocationView.step) < 1e-9 })
        let cursor = try #require(view.cursor)
        #expect(view.curve[cursor - 1].budget == 3)
        let (up, _) = press([.char("a"), .right, .right], Self.app(), run: Self.run())
        #expect(up.allocation.curve == view.curve, "trying budgets keeps the curve")
        #expect(up.allocation.curve[try #require(up.allocation.cursor) - 1].budget == 3.25)
        #expect(text(up, Self.run()).components(separatedBy: "budget 3.25 · plan ").count == 3, "the settings line and the chart's readout name the budget")
    }

    @Test func enterFollowsThePlanAndSolvesTheChangedLayersAgain() throws {
        var run = Self.run()
        var (s, effects) = press([.char("a"), .right, .right, .enter], Self.app(), run: run)
        let plan = try #require(s.allocation.plan)
        let changed = (0..<8).compactMap { i -> (String, LayerMethod)? in
            let name = Fixtures.info.layers[i].name
            let method = plan.methods[name]!
            return method == Fixtures.method ? nil : (name, method)
        }
        #expect(!changed.isEmpty && changed.count < 8)
        #expect(effects == [.engine(.allocate(budget: 3.25))] + changed.map { .engine(.resolve(layer: $0.0, method: $0.1)) })
        #expect(s.pending?.kind == .following(budget: 3.25))
        #expect(text(s, run).contains("re-solving \(changed.count) layer\(changed.count == 1 ? "" : "s") for the 3.25 bits/w plan"))
        // The job answers: the plan in effect, then each re-solve.
        App.observe(&s, .allocated(plan), before: run)
        run.apply(.allocated(plan))
        for request in s.pending?.waiting ?? [] {
            let i = Fixtures.info.layers.firstIndex { $0.name == request.layer }!
            let summary = Fixtures.summary(Fixtures.info.layers[i], i, method: request.method, bits: request.method.nominalBits)
            for e in [EngineEvent.layerStarted(layer: request.layer, method: request.method), .layerFinished(summary), .requestEnded(request)] {
                App.observe(&s, e, before: run)
                run.apply(e)
            }
        }
        #expect(s.pending == nil && s.unexportedResults)
        if changed.count > 1 { #expect(s.message == "re-solved \(changed.count) of \(changed.count) layers for the 3.25 bits/w plan") }
        #expect(s.allocation.offPlan(run).isEmpty)
        s.screen = .allocation
        #expect(text(s, run).contains("the run follows this plan, 27 layers to come"))
        // Applying it again changes nothing and sends nothing.
        let (again, none) = press([.enter], s, run: run)
        #expect(none.isEmpty && again.message == "the run follows the 3.25 bits/w plan already")
    }

    @Test func enterWithNothingSolvedYetOnlyMovesTheBudgetAndABusyJobRefuses() {
        var run = Fixtures.run(done: 0)
        run.apply(.allocated(Self.plan()))
        let (s, effects) = press([.char("a"), .right, .enter], Self.app(), run: run)
        #expect(effects == [.engine(.allocate(budget: 3.125))] && s.pending == nil)
        #expect(s.message == "the run follows the 3.125 bits/w plan: no solved layer changes, 35 to come")
        let (busy, more) = press([.char("a"), .right, .right, .enter, .left, .enter], Self.app(), run: Self.run())
        #expect(more.first == .engine(.allocate(budget: 3.25)) && !more.contains(.engine(.allocate(budget: 3.125))))
        #expect(busy.message?.hasPrefix("busy: re-solving") == true)
    }

    @Test func theLayerTableShowsEachLayersChoiceAndMarksTheOnesSolvedOtherwise() throws {
        var applied = Self.plan()
        try applied.choose(budget: 2.05)
        let run = Self.run(applied)
        let s = Self.app(plan: applied)
        let frame = App.render(s, run: run, size: s.size)
        assertSnapshot(frame.framedText, named: "main-allocation-120x40")
        #expect(frame.text.contains(" plan ") && frame.text.contains("(budget 2.05)"))
        let wide = Size(width: 200, height: 60)
        #expect(App.render(Self.app(wide, plan: applied), run: run, size: wide).text.contains("a plan"), "the status bar offers the view")
        // Layer 0 is solved at 3 bits, the plan gives it 2: its plan cell is a warning.
        let row = try #require(frame.lines.firstIndex { $0.contains("│  0.q ") }, "the table names layers short at 120 columns")
        let column = try #require(frame.lines[row].range(of: "2-bit"))
        let x = frame.lines[row].distance(from: frame.lines[row].startIndex, to: column.lowerBound)
        #expect(frame[x, row]?.style == s.palette.style(.warningFg))
        let plain = App.render(Fixtures.app(wide), run: Fixtures.run(), size: wide).text
        #expect(!plain.contains(" plan ") && !plain.contains("a plan"), "without an allocation there is no plan column or hint")
    }

    @Test func shortLabelsDropTheSharedMethodName() {
        #expect(AllocationView.shortLabels(Self.candidates) == ["2-bit", "3-bit", "4-bit"])
        #expect(AllocationView.shortLabels([Fixtures.gptq, Fixtures.rtn]) == ["GPTQ 3-bit", "RTN 3-bit"])
    }

    @Test(arguments: [Size(width: 120, height: 40), Size(width: 200, height: 60), Size(width: 80, height: 24)])
    func snapshot(size: Size) {
        let ascii = size.width < 100
        let run = Self.run()
        let (s, _) = press([.char("a"), .right, .right], Self.app(size, glyphs: ascii ? .ascii : .unicode), run: run)
        assertSnapshot(App.render(s, run: run, size: size).framedText, named: "allocation-\(size.width)x\(size.height)" + (ascii ? "-ascii" : ""))
    }
}
