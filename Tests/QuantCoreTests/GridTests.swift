import Testing
@testable import QuantCore

@Suite struct GridTests {
    /// Columns of W as the transposed working layout GridFitting reads.
    func fit(_ rows: [[Double]], _ options: GridOptions) -> GridFitting.RowGrids<Double> {
        let w = Matrix(rows: rows.count, cols: rows[0].count, storage: rows.flatMap { $0 })
        let wt = w.transposed.storage
        return wt.withUnsafeBufferPointer { GridFitting.fit($0.baseAddress!, rows: w.rows, columns: 0..<w.cols, options: options) }
    }

    @Test func asymmetricRangeContainsZeroAndZeroPointIsInteger() throws {
        let g = fit([[0.5, 1.5, 3.0], [-2.0, -1.0, -0.5]], try GridOptions(bits: 2))
        #expect(g.scale[0] == 3.0 / 3 && g.zero[0] == 0)           // xmin clamped to 0
        #expect(g.scale[1] == 2.0 / 3 && g.zero[1] == 3)           // xmax clamped to 0
    }

    @Test func symmetricAndAllZeroRows() throws {
        let g = fit([[-1.0, 0.25, 0.5], [0, 0, 0]], try GridOptions(bits: 3, symmetric: true))
        #expect(g.scale[0] == 2.0 / 7 && g.zero[0] == 4)
        #expect(g.scale[1] == 2.0 / 7)                              // all-zero row gets the range ±1
        let a = fit([[0, 0, 0]], try GridOptions(bits: 4))
        #expect(a.scale[0] == 2.0 / 15 && a.zero[0] == 8)
    }

    @Test func roundsHalfToEven() {
        // 2.5 → 2 and 3.5 → 4 (half to even), as torch.round and numpy do.
        #expect(GridMath.code(2.5, scale: 1.0, zero: 0, maxq: 15) == 2)
        #expect(GridMath.code(3.5, scale: 1.0, zero: 0, maxq: 15) == 4)
        #expect(GridMath.code(-9.0, scale: 1.0, zero: 3, maxq: 15) == 0)
        #expect(GridMath.code(90.0, scale: 1.0, zero: 3, maxq: 15) == 15)
    }

    @Test func mseSearchNeverWorsensTheNormErrorAndShrinksAnOutlierRange() throws {
        var rng = SeededGenerator(seed: 3)
        var row = (0..<256).map { _ in rng.normal() * 0.1 }
        row[7] = 0.5
        row[9] = -0.45
        let minmax = fit([row], try GridOptions(bits: 3))
        let mse = fit([row], try GridOptions(bits: 3, mseSearch: true))
        func err(_ g: GridFitting.RowGrids<Double>) -> Double {
            row.reduce(0) { acc, x in
                let c = GridMath.code(x, scale: g.scale[0], zero: g.zero[0], maxq: 7)
                return acc + pow(abs(g.scale[0] * (Double(c) - g.zero[0]) - x), 2.4)
            }
        }
        #expect(mse.scale[0] < minmax.scale[0])
        #expect(err(mse) < err(minmax))
    }

    @Test func trimmedGridDropsExtremes() throws {
        // 20 columns, fraction 0.2 → n = 2: xmin is the 2nd smallest, xmax the 3rd largest.
        let row = (0..<20).map { Double($0) - 5 }                  // -5 … 14
        let w = Matrix(rows: 1, cols: 20, storage: row)
        let g = w.transposed.storage.withUnsafeBufferPointer {
            GridFitting.fitTrimmed($0.baseAddress!, rows: 1, columns: Array(0..<20), fraction: 0.2, options: try! GridOptions(bits: 4))
        }
        #expect(g.scale[0] == (12.0 - -4.0) / 15)
        #expect(g.zero[0] == (4.0 / g.scale[0]).rounded(.toNearestOrEven))
    }

    @Test func groupIndexAndEffectiveBits() throws {
        let p = SyntheticProblem(rows: 8, cols: 100, tokens: 300, seed: 1).make()
        let r = RTN.solve(p, grid: try GridOptions(bits: 4, groupSize: 32))
        #expect(r.layer.grid.groupCount == 4)
        #expect(r.layer.grid.groupIndex[31] == 0 && r.layer.grid.groupIndex[32] == 1 && r.layer.grid.groupIndex[99] == 3)
        #expect(try GridOptions(bits: 4, groupSize: 128).effectiveBits(columns: 4096) == 4 + 20.0 / 128)
    }
}

#if canImport(Glibc)
import Glibc
#endif
