import Foundation
import ModelKit
import Testing
@testable import Reports

/// GPTQ packing against GPTQModel's packer (`scripts/fixtures/gptq-pack.py`), word for word.
@Suite struct GPTQPackingTests {
    struct Case: Decodable {
        let bits, rows, cols, groups: Int
        let codes, zeros, qweight, qzeros: [Int64]
        let qweight_shape, qzeros_shape: [Int]
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = Bundle.module.url(forResource: "Fixtures/gptq-pack", withExtension: "json")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test(arguments: cases.indices)
    func packsAsGPTQModelDoes(_ i: Int) {
        let c = Self.cases[i]
        let qweight = GPTQPacking.qweight(codes: c.codes.map { UInt8($0) }, rows: c.rows, cols: c.cols, bits: c.bits)
        #expect(c.qweight_shape == [c.cols * c.bits / 32, c.rows])
        #expect(qweight == c.qweight.map { Int32(truncatingIfNeeded: $0) }, "\(c.bits)-bit qweight")
        let qzeros = GPTQPacking.qzeros(c.zeros.map { Int32($0) }, groups: c.groups, columns: c.rows, bits: c.bits, version2: true)
        #expect(c.qzeros_shape == [c.groups, c.rows * c.bits / 32])
        #expect(qzeros == c.qzeros.map { Int32(truncatingIfNeeded: $0) }, "\(c.bits)-bit qzeros")
    }

    @Test(arguments: [2, 3, 4, 5, 8])
    func unpacksWhatItPacks(_ bits: Int) {
        let values = (0..<96).map { UInt32(($0 * 7 + 3) % (1 << bits)) }
        let words = BitStream.pack(values, count: values.count, bits: bits)
        #expect(words.count == (96 * bits + 31) / 32)
        #expect(BitStream.unpack(words, count: values.count, bits: bits) == values)
    }

    @Test func version1StoresZeroMinusOne() {
        let zeros: [Int32] = [8, 1, 15, 4, 8, 8, 8, 8]
        let v1 = GPTQPacking.qzeros(zeros, groups: 1, columns: 8, bits: 4, version2: false)
        #expect(BitStream.unpack(v1.map { UInt32(bitPattern: $0) }, count: 8, bits: 4) == zeros.map { UInt32($0 - 1) })
    }
}
