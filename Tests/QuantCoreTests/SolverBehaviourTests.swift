import Testing
import Synchronization
@testable import QuantCore

@Suite struct SolverBehaviourTests {
    static let problem = SyntheticProblem(rows: 96, cols: 200, tokens: 800, seed: 7, deadColumns: [5]).make()
    let grid3 = try! GridOptions(bits: 3)

    @Test func blockedSweepGivesTheSameCodesInFloat() throws {
        for schedule in SweepSchedule.allCases {
            let reference = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 12, schedule: schedule, implementation: .reference))
            let blocked = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 12, schedule: schedule, implementation: .blocked(blockSize: 64)))
            let differing = zip(reference.layer.codes, blocked.layer.codes).filter { $0 != $1 }.count
            #expect(differing == 0, "\(schedule): \(differing) codes differ")
        }
    }

    @Test func cdReportsOncePerSweepWithExactObjective() throws {
        let r = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 30))
        #expect(r.history.map(\.step) == Array(1...30))
        #expect(r.history[1].onGrid == false && r.history[1].codesChanged == nil)       // sweep t=1 is relaxed
        #expect(r.history.last!.onGrid && r.history.last!.codesChanged != nil)
        let exact = Objective.relativeError(weights: Self.problem.weights, quantized: r.layer.gridWeights(), hessian: Self.problem.hessian)
        #expect(abs(r.history.last!.relativeError - exact) < 1e-4 * exact)
        // Rounding sweeps after the relaxed phase never increase the objective.
        let tail = r.history.suffix(4).map(\.relativeError)
        #expect(zip(tail, tail.dropFirst()).allSatisfy { $1 <= $0 * (1 + 1e-6) })
    }

    @Test func gptqReportsPerBlockAndQuantEaseFromGPTQImprovesIt() throws {
        let g = try GPTQOptions(grid: grid3, blockSize: 64)
        let gptq = try GPTQ.solve(Self.problem, options: g)
        #expect(gptq.history.count == 4)                                          // 200 columns / 64
        #expect(zip(gptq.history, gptq.history.dropFirst()).allSatisfy { $1.relativeError >= $0.relativeError })
        let exact = Objective.relativeError(weights: Self.problem.weights, quantized: gptq.layer.gridWeights(), hessian: Self.problem.hessian)
        #expect(abs(gptq.history.last!.relativeError - exact) < 1e-4 * exact)
        let qe = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 3, schedule: .alwaysRound, initialization: .gptq(g)))
        let qeErr = Objective.relativeError(weights: Self.problem.weights, quantized: qe.layer.gridWeights(), hessian: Self.problem.hessian)
        #expect(qeErr < exact)
        #expect(qe.history.allSatisfy { $0.codesChanged != nil })
    }

    @Test func deadColumnsFollowEachConvention() throws {
        let gptq = try GPTQ.solve(Self.problem, options: GPTQOptions(grid: grid3))
        let deq = gptq.layer.gridWeights()
        #expect((0..<96).allSatisfy { deq[$0, 5] == 0 })                     // GPTQ zeroes dead columns
        let qe = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 3))
        let rtn = RTN.solve(Self.problem, grid: grid3)
        let qeDead = (0..<96).map { qe.layer.codes[$0 * 200 + 5] }
        let rtnDead = (0..<96).map { rtn.layer.codes[$0 * 200 + 5] }
        #expect(qeDead == rtnDead)                                                // QuantEase re-rounds W
    }

    @Test func cancellationReturnsTheBestOnGridIterate() throws {
        let reports = Mutex(0)
        let control = SolverControl(report: { _ in reports.withLock { $0 += 1 } },
                                    isCancelled: { reports.withLock { $0 >= 5 } })
        let r = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 30), control: control)
        #expect(r.cancelled && r.history.count == 5)
        let best = r.history.filter(\.onGrid).map(\.relativeError).min()!
        let exact = Objective.relativeError(weights: Self.problem.weights, quantized: r.layer.gridWeights(), hessian: Self.problem.hessian)
        #expect(abs(exact - best) < 1e-4 * best)

        let gReports = Mutex(0)
        let g = try GPTQ.solve(Self.problem, options: GPTQOptions(grid: grid3, blockSize: 50),
                               control: SolverControl(report: { _ in gReports.withLock { $0 += 1 } }, isCancelled: { gReports.withLock { $0 >= 2 } }))
        #expect(g.cancelled && g.history.count == 2)
        #expect(g.layer.codes.count == 96 * 200)
    }

    @Test func rowLanesGiveTheSameSweepsAsOneLane() throws {
        let layout = WorkingLayout<Float>(rows: 96, cols: 200, order: Array(0..<200))
        let wt = layout.gather(Self.problem.weights)
        func run(_ lanes: RowLanes) -> (codes: [UInt8], objective: Double) {
            let table = GridTable.fitted(wt, layout: layout, options: grid3)
            let cd = CoordinateDescent(sigma: Self.problem.hessian, targetT: wt, start: wt, table: table, rows: 96, lanes: lanes)
            for t in 0..<4 { _ = cd.blockedSweep(round: t != 1, blockSize: 64, isCancelled: { false }) }
            return (cd.codes, cd.residualObjective())
        }
        let three = RowLanes(rows: 96, threads: 3, minimumRows: 16)
        #expect(three.ranges == [0..<32, 32..<64, 64..<96])
        let one = run(RowLanes(rows: 96, threads: 1)), split = run(three)
        #expect(one.codes == split.codes)
        #expect(abs(one.objective - split.objective) < 1e-9 * one.objective)
    }

    @Test func movingTheTargetMatchesARecomputedResidual() {
        let layout = WorkingLayout<Float>(rows: 96, cols: 200, order: Array(0..<200))
        let wt = layout.gather(Self.problem.weights)
        var target = wt
        for k in stride(from: 0, to: target.count, by: 97) { target[k] += 0.05 * Float(k % 7) - 0.15 }
        var residuals: [[Float]] = []
        for move in [true, false] {
            let cd = CoordinateDescent(sigma: Self.problem.hessian, targetT: wt, start: wt, table: GridTable.fitted(wt, layout: layout, options: grid3), rows: 96)
            _ = cd.blockedSweep(round: true, blockSize: 64, isCancelled: { false })
            if move { cd.moveTarget(target) } else { cd.setTarget(target) }
            residuals.append(cd.withResidual { $0 })
        }
        let scale = residuals[1].map(abs).max()!
        #expect(zip(residuals[0], residuals[1]).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
    }

    @Test func gridRoundingMatchesTheReferenceQuantizer() {
        var table = GridTable<Float>(rows: 13, bits: 3)
        let scales: [Float] = [0.5, 0.25, 1, 2, 0.1, 3, 0.5, 0.5, 1e-3, 7, 0.5, 1, 0.3]
        let zeros: [Float] = [3, 4, 0, 7, 2, 5, 4, 3, 4, 1, 0, 4, 3]
        _ = table.append((scale: scales, zero: zeros))
        table.groupOf = [0]
        // Ties at ±0.5, ±1.5, ±2.5 steps, values far outside the grid, and ordinary ones.
        let columns: [[Float]] = [
            [0.25, -0.125, 0.5, 5, 0.05, -4.5, 1.25, 0.75, 1e6, -1e9, 0.25, 3.5, -0.45],
            [-0.25, 0.375, -2.5, -5, 0.15, 7.5, -1.25, -0.75, -3e5, 17.5, 3.25, -1.5, 0.15],
        ]
        for column in columns {
            var fast = column, fastCodes = [UInt8](repeating: 0, count: 13)
            _ = fast.withUnsafeMutableBufferPointer { v in
                fastCodes.withUnsafeMutableBufferPointer { table.quantize(v.baseAddress!, column: 0, codes: $0.baseAddress!) }
            }
            let reference = (0..<13).map { GridMath.code(column[$0], scale: scales[$0], zero: zeros[$0], maxq: 7) }
            #expect(fastCodes == reference)
            #expect(fast == (0..<13).map { scales[$0] * (Float(reference[$0]) - zeros[$0]) })
        }
    }

    @Test func outlierBudgetsAreExact() throws {
        let unstructured = try OutlierQuantEase.solve(Self.problem, options: OutlierQuantEaseOptions(grid: grid3, fraction: 0.01, sweeps: 6))
        #expect(unstructured.layer.outliers.count == 192)                    // round(0.01 · 96 · 200)
        #expect(unstructured.history.allSatisfy { $0.outliers == 192 })
        let structured = try OutlierQuantEase.solve(Self.problem, options: OutlierQuantEaseOptions(grid: grid3, fraction: 0.02, structure: .columns, sweeps: 6))
        let columns = Set(structured.layer.outliers.entries.map { $0.index % 200 })
        #expect(columns.count == 4)                                           // round(0.02 · 200)
        let plain = try QuantEase.solve(Self.problem, options: QuantEaseOptions(grid: grid3, sweeps: 6))
        func err(_ l: QuantizedLayer<Float>) -> Double {
            Objective.relativeError(weights: Self.problem.weights, quantized: l.dequantized(), hessian: Self.problem.hessian)
        }
        #expect(err(unstructured.layer) < err(plain.layer))
        #expect(err(structured.layer) < err(plain.layer))
    }
}
