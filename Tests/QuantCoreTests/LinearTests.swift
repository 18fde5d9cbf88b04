import Testing
@testable import QuantCore

@Suite struct LinearTests {
    @Test func matmulAndCholesky() {
        let a = Matrix<Double>(rows: 2, cols: 2, storage: [4, 2, 2, 3])
        let l = LAPACK.choleskyLower(a)!
        let back = l.matmul(l, transposeOther: true)
        // fp64 LAPACK on a 2×2 with κ ≈ 5 and entries ≤ 4: every result is within a few ulps (ulp(4) = 8.9e-16).
        #expect(back.storage.enumerated().allSatisfy { abs($0.element - a.storage[$0.offset]) < 1e-12 })
        let inv = LAPACK.inverseFromCholesky(l)!
        let id = a.matmul(inv)
        #expect(abs(id[0, 0] - 1) < 1e-12 && abs(id[0, 1]) < 1e-12)
        #expect(abs(LAPACK.largestEigenvalue(a) - (3.5 + 0.5 * 17.0.squareRoot())) < 1e-12)
        #expect(LAPACK.choleskyLower(Matrix(rows: 2, cols: 2, storage: [1, 2, 2, 1])) == nil)
    }

    @Test func upperCholeskyOfTheInverseMatchesFactorInvertFactor() {
        let b = Matrix<Double>(rows: 5, cols: 5) { r, c in Double((r * 7 + c * 3) % 5) - 1.5 + (r == c ? 4 : 0) }
        let a = b.matmul(b, transposeOther: true)
        let u = LAPACK.upperCholeskyOfInverse(a)!
        // fp64 on a 5×5 SPD matrix: the two factorisations agree to a few ulps of u's entries (≲ 1); UᵀU·A = I
        // to ~κ(A)·ε, and κ(A) ≲ 1e3 here (1e-10 leaves room for more).
        let viaInverse = LAPACK.choleskyLower(LAPACK.inverseFromCholesky(LAPACK.choleskyLower(a)!)!)!.transposed
        #expect(zip(u.storage, viaInverse.storage).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect((0..<5).allSatisfy { r in u[r, r] > 0 && (0..<r).allSatisfy { u[r, $0] == 0 } })
        let id = u.matmul(u, transposeSelf: true).matmul(a)
        #expect(id.storage.enumerated().allSatisfy { abs($0.element - ($0.offset % 6 == 0 ? 1 : 0)) < 1e-10 })
        #expect(LAPACK.upperCholeskyOfInverse(Matrix(rows: 2, cols: 2, storage: [1, 2, 2, 1])) == nil)
    }
}

@Suite struct BLASRuntimeTests {
    @Test func suggestsACoreTypeOnlyForAGenericFallback() {
        let avx512: Set<String> = ["fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
        #expect(BLASRuntime.suggestedCoreType(cpuFlags: avx512, current: "Prescott") == "SkylakeX")
        #expect(BLASRuntime.suggestedCoreType(cpuFlags: ["fma", "avx2"], current: "Prescott") == "Haswell")
        #expect(BLASRuntime.suggestedCoreType(cpuFlags: ["sse3"], current: "Prescott") == nil)
        #expect(BLASRuntime.suggestedCoreType(cpuFlags: avx512, current: "SkylakeX") == nil)
        #expect(!BLASRuntime.coreName.isEmpty)
    }
}
