import Foundation
import QuantCore
import Testing
@testable import ModelKit

@Suite("Safetensors reader")
struct SafetensorsReaderTests {
    /// The exact bytes `safetensors.torch.save_file` writes for the golden example of the research note.
    static let goldenHeader = #"{"__metadata__":{"k":"v"},"a":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,12]},"#
        + #""b":{"dtype":"F16","shape":[3],"data_offsets":[12,18]},"c":{"dtype":"I8","shape":[3],"data_offsets":[18,21]}}"#
    static let goldenData: [UInt8] = [
        0x00, 0x00, 0x80, 0x3F, 0x00, 0x40, 0x40, 0x40, 0x80, 0x40, 0xA0, 0x40,  // bf16 0 1 2 3 4 5
        0x00, 0x3C, 0x00, 0x3C, 0x00, 0x3C,  // f16 1 1 1
        0x01, 0xFE, 0x03,  // i8 1 -2 3
    ]
    static var goldenBytes: [UInt8] { rawSafetensors(header: goldenHeader, data: goldenData) }

    @Test func goldenHeaderLengthIs192() {
        #expect(Array(Self.goldenBytes.prefix(8)) == [192, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func readsTheGoldenExample() throws {
        let scratch = try CheckpointScratch()
        let file = try SafetensorsFile(url: scratch.write(Self.goldenBytes, to: "golden.safetensors"))
        #expect(file.metadata == ["k": "v"])
        #expect(file.tensors.map(\.name) == ["a", "b", "c"])
        #expect(try file.info("a") == TensorInfo(name: "a", dtype: .bf16, shape: [2, 3], dataOffsets: 0..<12))
        #expect(try file.info("b") == TensorInfo(name: "b", dtype: .f16, shape: [3], dataOffsets: 12..<18))
        #expect(try file.info("c") == TensorInfo(name: "c", dtype: .i8, shape: [3], dataOffsets: 18..<21))
        #expect(try file.matrix("a") == Matrix(rows: 2, cols: 3, storage: [0, 1, 2, 3, 4, 5]))
        #expect(try file.floats("b") == [1, 1, 1])
        #expect(try file.doubles("b") == [1, 1, 1])
        #expect(try file.bytes("c").map { Int8(bitPattern: $0) } == [1, -2, 3])
    }

    @Test func integerTensorsAreListedButNotWidened() throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(Self.goldenBytes, to: "golden.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(throws: SafetensorsError.notFloatingPoint(file: url.path, tensor: "c", dtype: .i8)) {
            try file.floats("c")
        }
        let error = SafetensorsError.notFloatingPoint(file: url.path, tensor: "c", dtype: .i8)
        #expect(error.description.contains(url.path) && error.description.contains("I8"))
    }

    @Test func matrixNeedsTwoDimensions() throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(Self.goldenBytes, to: "golden.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(throws: SafetensorsError.notAMatrix(file: url.path, tensor: "b", shape: [3])) {
            try file.matrix("b")
        }
    }

    @Test func unknownNameIsATypedError() throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(Self.goldenBytes, to: "golden.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(!file.contains("zzz") && file.contains("a"))
        #expect(throws: SafetensorsError.tensorNotFound(file: url.path, tensor: "zzz")) { try file.info("zzz") }
    }

    @Test func widensF64AndF32ToDoubleMatrices() throws {
        var writer = SafetensorsWriter()
        try writer.add("d", shape: [2, 2], data: .f64([1.0 / 3.0, -2, 1e-300, 4]))
        try writer.add("s", shape: [1, 3], data: .f32([0.1, -0.5, 7]))
        let scratch = try CheckpointScratch()
        let file = try SafetensorsFile(url: scratch.write(writer.encoded(), to: "d.safetensors"))
        #expect(try file.doubleMatrix("d").storage == [1.0 / 3.0, -2, 1e-300, 4])
        #expect(try file.matrix("d").storage == [Float(1.0 / 3.0), -2, 0, 4])
        #expect(try file.doubleMatrix("s").storage == [Double(Float(0.1)), -0.5, 7])
    }

    @Test func readsTensorsThatAreNotAligned() throws {
        // A third-party layout: one U8 byte first puts the F32 tensor at an odd address.
        let header = #"{"p":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}}"#
        let values: [Float] = [1.5, -3.25]
        let data = [0xAA] + values.withUnsafeBytes(Array.init)
        let scratch = try CheckpointScratch()
        let file = try SafetensorsFile(url: scratch.write(rawSafetensors(header: header, data: data), to: "odd.safetensors"))
        #expect(try file.floats("w") == values)
    }

    @Test func acceptsScalarsEmptyTensorsAndPaddedHeaders() throws {
        let header = #"{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"F16","shape":[0,5],"data_offsets":[4,4]}}   "#
        let scratch = try CheckpointScratch()
        let url = try scratch.write(rawSafetensors(header: header, data: Array(Float(2).bitPattern.littleEndianBytes)), to: "s.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata.isEmpty)
        #expect(try file.floats("s") == [2])
        #expect(try file.matrix("e") == Matrix(rows: 0, cols: 5))
    }

    @Test func widensF16AndBF16Exactly() throws {
        let halves: [Float16] = [0.5, -2, 65504, .infinity, 0.000061035156]
        let bf16Bits: [UInt16] = [0x3F80, 0xC040, 0x7F80, 0x0001]
        let header = #"{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[4],"data_offsets":[10,18]}}"#
        let data = halves.withUnsafeBytes(Array.init) + bf16Bits.withUnsafeBytes(Array.init)
        let scratch = try CheckpointScratch()
        let file = try SafetensorsFile(url: scratch.write(rawSafetensors(header: header, data: data), to: "h.safetensors"))
        #expect(try file.floats("h") == halves.map(Float.init))
        #expect(try file.floats("b") == [1, -3, .infinity, Float(bitPattern: 0x0001_0000)])
    }
}

extension UInt32 {
    var littleEndianBytes: [UInt8] { withUnsafeBytes(of: littleEndian, Array.init) }
}
