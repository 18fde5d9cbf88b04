import Foundation
@testable import ModelKit
import QuantCore
import Testing
@testable import Reports

/// The tensors of `scripts/fixtures/pack-reference.py`: inputs and what GPTQModel, compressed-tensors and aqlm
/// make of them with their own code.
struct PackReference {
    static let file: SafetensorsFile = {
        let url = Bundle.module.url(forResource: "Fixtures/pack-reference", withExtension: "safetensors")!
        return try! SafetensorsFile(url: url)
    }()

    static func values<T: FixedWidthInteger>(_ name: String, as _: T.Type) -> [T] {
        let bytes = try! file.bytes(name)
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    static func floats(_ name: String) -> [Float] { try! file.floats(name) }
    static func shape(_ name: String) -> [Int] { try! file.info(name).shape }
}

/// GPTQ packing against GPTQModel's `pack` (`pack_block`), word for word, and back.
@Suite struct GPTQPackingTests {
    /// Fixture cases: bits and whether the groups are in activation order.
    static let cases = ["gptq.b2", "gptq.b3", "gptq.b4", "gptq.b8", "gptq.b4.act"]

    struct Case {
        let name: String
        let bits, rows, cols: Int
        let codes: [UInt8]
        let zeros, scales: [Float]
        let groupIndex: [Int32]

        init(_ name: String) {
            self.name = name
            bits = Int(name.split(separator: ".")[1].dropFirst())!
            let shape = PackReference.shape(name + ".codes")
            (rows, cols) = (shape[0], shape[1])
            codes = PackReference.values(name + ".codes", as: UInt8.self)
            zeros = PackReference.values(name + ".zeros", as: UInt8.self).map(Float.init)
            scales = PackReference.floats(name + ".scales")
            groupIndex = PackReference.values(name + ".g_idx", as: Int32.self)
        }

        func pack(zeros: [Float]? = nil, format: GPTQPacking.ZeroFormat = .v2) throws -> GPTQPacking.Tensors {
            try GPTQPacking.pack(codes: codes, scales: scales, zeros: zeros ?? self.zeros, groupIndex: groupIndex,
                                 rows: rows, cols: cols, bits: bits, format: format)
        }
    }

    @Test(arguments: cases)
    func packsAsGPTQModelDoes(_ name: String) throws {
        let c = Case(name), t = try c.pack()
        #expect(t.qweightShape == PackReference.shape(name + ".qweight") && t.qzerosShape == PackReference.shape(name + ".qzeros"))
        #expect(t.qweight == PackReference.values(name + ".qweight", as: Int32.self), "\(name) qweight")
        #expect(t.qzeros == PackReference.values(name + ".qzeros", as: Int32.self), "\(name) qzeros (gptq_v2)")
        #expect(t.scales.map(\.bitPattern) == PackReference.values(name + ".scales", as: UInt16.self), "\(name) fp16 scales")
        #expect(t.groupIndex == c.groupIndex && t.scalesShape == PackReference.shape(name + ".scales"))
    }

    @Test(arguments: cases)
    func version1StoresZeroLessOneAsGPTQModelConverts(_ name: String) throws {
        let c = Case(name)
        let zeros = PackReference.values(name + ".v1.zeros", as: UInt8.self).map(Float.init)
        let t = try c.pack(zeros: zeros, format: .v1)
        #expect(t.qzeros == PackReference.values(name + ".v1.qzeros", as: Int32.self), "\(name) qzeros (gptq)")
        #expect(try GPTQPacking.unpack(t, format: .v1).zeros == zeros)
    }

    @Test(arguments: cases)
    func unpacksTheReferenceTensors(_ name: String) throws {
        let c = Case(name)
        let groups = c.scales.count / c.rows
        let t = GPTQPacking.Tensors(qweight: PackReference.values(name + ".qweight", as: Int32.self),
                                    qzeros: PackReference.values(name + ".qzeros", as: Int32.self),
                                    scales: PackReference.values(name + ".scales", as: UInt16.self).map(Float16.init(bitPattern:)),
                                    groupIndex: c.groupIndex, rows: c.rows, cols: c.cols, groups: groups, bits: c.bits)
        let grid = try GPTQPacking.unpack(t, format: .v2)
        #expect(grid == GPTQPacking.Grid(codes: c.codes, scales: c.scales, zeros: c.zeros, groupIndex: c.groupIndex))
    }

    @Test func version1RefusesAZeroOfZero() throws {
        let c = Case("gptq.b4")
        #expect(c.zeros[0] == 0)
        #expect(throws: PackingError.zeroOfZeroInVersion1(group: 0, column: 0)) { try c.pack(format: .v1) }
        #expect("\(PackingError.zeroOfZeroInVersion1(group: 0, column: 0))".contains("gptq_v2"))
    }

    @Test func refusesWhatGPTQCannotPack() {
        let codes = [UInt8](repeating: 1, count: 32 * 40)
        #expect(throws: PackingError.unsupportedBits(format: "GPTQ", bits: 5, supported: [2, 3, 4, 8])) {
            try GPTQPacking.qweight(codes: codes, rows: 32, cols: 40, bits: 5)
        }
        #expect(throws: PackingError.notWholeWords(format: "GPTQ qweight", dimension: "input columns", count: 40, bits: 3)) {
            try GPTQPacking.qweight(codes: codes, rows: 32, cols: 40, bits: 3)
        }
        #expect(throws: PackingError.notWholeWords(format: "GPTQ qzeros", dimension: "output rows", count: 12, bits: 4)) {
            try GPTQPacking.qweight(codes: [UInt8](repeating: 1, count: 12 * 64), rows: 12, cols: 64, bits: 4)
        }
        #expect(throws: PackingError.outOfRange(tensor: "codes", index: 5, value: 16, range: 0...15)) {
            try GPTQPacking.qweight(codes: (0..<(32 * 64)).map { (i: Int) -> UInt8 in i == 5 ? 16 : 3 }, rows: 32, cols: 64, bits: 4)
        }
        #expect(throws: PackingError.outOfRange(tensor: "zeros", index: 2, value: 2.5, range: 0...15)) {
            try GPTQPacking.qzeros([1, 1, 2.5, 1, 1, 1, 1, 1], groups: 1, columns: 8, bits: 4, format: .v2)
        }
    }

    @Test(arguments: [2, 3, 4, 8])
    func unpackInvertsPack(_ bits: Int) throws {
        let (rows, cols, groups) = (64, 96, 3)
        let size = 1 << bits
        let codes: [UInt8] = (0..<(rows * cols)).map { (i: Int) -> UInt8 in UInt8((i * 7 + i / 5) % size) }
        let zeros: [Float] = (0..<(groups * rows)).map { (i: Int) -> Float in Float((i * 5) % size) }
        let scales: [Float] = (0..<(groups * rows)).map { (i: Int) -> Float in Float(Float16(Float(i + 1) / 1000)) }
        let gIdx: [Int32] = (0..<cols).map { (i: Int) -> Int32 in Int32((i * 11) % groups) }
        for format in GPTQPacking.ZeroFormat.allCases {
            let z = format == .v1 ? zeros.map { max($0, 1) } : zeros
            let t = try GPTQPacking.pack(codes: codes, scales: scales, zeros: z, groupIndex: gIdx, rows: rows, cols: cols, bits: bits, format: format)
            #expect(try GPTQPacking.unpack(t, format: format) == GPTQPacking.Grid(codes: codes, scales: scales, zeros: z, groupIndex: gIdx))
        }
    }
}

/// compressed-tensors `pack-quantized` against its `PackedQuantizationCompressor.compress`, word for word, and back.
@Suite struct CompressedTensorsPackingTests {
    static let cases = ["ct.b4.sym", "ct.b4.asym", "ct.b8.sym", "ct.b8.asym"]

    struct Case {
        let bits, rows, cols: Int
        let symmetric: Bool
        let codes: [UInt8]
        let zeros, scales: [Float]
        var groups: Int { scales.count / rows }
        var groupIndex: [Int32] { (0..<cols).map { Int32($0 / (cols / groups)) } }

        init(_ name: String) {
            bits = Int(name.split(separator: ".")[1].dropFirst())!
            symmetric = name.hasSuffix(".sym")
            let shape = PackReference.shape(name + ".codes")
            (rows, cols) = (shape[0], shape[1])
            codes = PackReference.values(name + ".codes", as: UInt8.self)
            zeros = PackReference.values(name + ".zeros", as: UInt8.self).map(Float.init)
            scales = PackReference.floats(name + ".scales")
        }

        func pack(bits: Int? = nil, groupIndex: [Int32]? = nil, symmetric: Bool? = nil) throws -> CompressedTensorsPacking.Tensors {
            try CompressedTensorsPacking.pack(codes: codes, scales: scales, zeros: zeros, groupIndex: groupIndex ?? self.groupIndex,
                                              rows: rows, cols: cols, bits: bits ?? self.bits, symmetric: symmetric ?? self.symmetric)
        }
    }

    @Test(arguments: cases)
    func packsAsCompressedTensorsDoes(_ name: String) throws {
        let c = Case(name), t = try c.pack()
        #expect(t.weightPackedShape == PackReference.shape(name + ".weight_packed"))
        #expect(t.weightPacked == PackReference.values(name + ".weight_packed", as: Int32.self), "\(name) weight_packed")
        #expect(t.weightShape == PackReference.values(name + ".weight_shape", as: Int64.self))
        #expect(t.weightScaleShape == PackReference.shape(name + ".weight_scale"))
        #expect(t.weightScale.map { Float16($0).bitPattern } == PackReference.values(name + ".weight_scale", as: UInt16.self))
        if c.symmetric {
            #expect(t.weightZeroPoint == nil)
        } else {
            #expect(t.weightZeroPointShape == PackReference.shape(name + ".weight_zero_point"))
            #expect(t.weightZeroPoint == PackReference.values(name + ".weight_zero_point", as: Int32.self), "\(name) weight_zero_point")
        }
        #expect(try CompressedTensorsPacking.unpack(t) == CompressedTensorsPacking.Grid(codes: c.codes, scales: c.scales, zeros: c.zeros))
    }

    @Test func unpackInvertsPackWithOneGroupAndUnevenWords() throws {
        let (rows, cols) = (20, 36)
        let codes: [UInt8] = (0..<(rows * cols)).map { (i: Int) -> UInt8 in UInt8((i * 13) % 16) }
        let zeros: [Float] = (0..<rows).map { (i: Int) -> Float in Float(i % 16) }
        let scales: [Float] = (0..<rows).map { (i: Int) -> Float in Float(i + 1) / 64 }
        let t = try CompressedTensorsPacking.pack(codes: codes, scales: scales, zeros: zeros, groupIndex: [Int32](repeating: 0, count: cols),
                                                  rows: rows, cols: cols, bits: 4, symmetric: false)
        #expect(t.weightPackedShape == [20, 5] && t.weightZeroPointShape == [3, 1])
        #expect(try CompressedTensorsPacking.unpack(t) == CompressedTensorsPacking.Grid(codes: codes, scales: scales, zeros: zeros))
    }

    @Test func refusesWhatPackQuantizedCannotHold() {
        let c = Case("ct.b4.asym")
        #expect(throws: PackingError.unsupportedBits(format: "compressed-tensors pack-quantized", bits: 3, supported: [4, 8])) {
            try c.pack(bits: 3)
        }
        let i = c.zeros.firstIndex { $0 != 8 }!
        #expect(throws: PackingError.asymmetricZero(group: i / c.rows, row: i % c.rows, zero: Double(c.zeros[i]), expected: 8)) {
            try c.pack(symmetric: true)
        }
        var order = c.groupIndex
        order.swapAt(0, c.cols - 1)
        #expect(throws: PackingError.groupsNotContiguous(column: 0, group: c.groups - 1, expected: 0)) { try c.pack(groupIndex: order) }
    }
}

/// The AQLM layout against aqlm's `pack_int_data` and the weight its `QuantizedLinear` reads from it.
@Suite struct AQLMLayoutTests {
    static let cases = ["aqlm.2x4g8", "aqlm.1x9g4", "aqlm.2x8g4"]

    static func layer(_ name: String) -> AdditiveCodebooks<Float> {
        let scheme = name.dropFirst(5).split(whereSeparator: { "xg".contains($0) }).map { Int($0)! }
        let shape = PackReference.shape(name + ".codes")
        return AdditiveCodebooks(rows: shape[0], cols: shape[1] * scheme[2], codebookCount: scheme[0], bits: scheme[1], groupSize: scheme[2],
                                 codes: PackReference.values(name + ".codes", as: UInt16.self),
                                 codebooks: PackReference.floats(name + ".codebooks"), scales: PackReference.floats(name + ".scales"))
    }

    @Test(arguments: cases)
    func storesCodesAsAQLMDoes(_ name: String) throws {
        let layer = Self.layer(name), t = try AQLMLayout.tensors(layer)
        let reference = PackReference.file
        #expect(t.codesShape == PackReference.shape(name + ".stored_codes"))
        switch t.codes {
        case let .int8(v):
            #expect(try reference.info(name + ".stored_codes").dtype == .i8)
            #expect(v == PackReference.values(name + ".stored_codes", as: Int8.self))
        case let .int16(v):
            #expect(try reference.info(name + ".stored_codes").dtype == .i16)
            #expect(v == PackReference.values(name + ".stored_codes", as: Int16.self))
        }
        #expect(t.codes != .int8(layer.codes.map { Int8(truncatingIfNeeded: $0) }) || layer.bits == 8, "codes ≥ 2^(B−1) are stored less 2^B")
        #expect(t.codebooksShape == PackReference.shape(name + ".codebooks") && t.scalesShape == PackReference.shape(name + ".scales"))
        #expect(try AQLMLayout.layer(t) == layer)
    }

    @Test(arguments: cases)
    func decodesToTheWeightAQLMReads(_ name: String) throws {
        let decoded = try AQLMLayout.layer(AQLMLayout.tensors(Self.layer(name))).decoded()
        #expect([decoded.rows, decoded.cols] == PackReference.shape(name + ".weight"))
        #expect(decoded.storage == PackReference.floats(name + ".weight"))
    }

    @Test func refusesCodesAQLMCannotStore() {
        #expect(throws: PackingError.outOfRange(tensor: "codes", index: 1, value: 16, range: 0...15)) {
            try AQLMLayout.storedCodes([3, 16], bits: 4)
        }
        #expect(throws: PackingError.unsupportedBits(format: "AQLM", bits: 17, supported: Array(1...16))) {
            try AQLMLayout.storedCodes([3], bits: 17)
        }
        #expect(AQLMLayout.codes(.int16([-1, 255, -256]), bits: 9) == [511, 255, 256])
    }
}
