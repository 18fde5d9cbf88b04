import Foundation
import QuantCore
import Testing
@testable import ModelKit

@Suite("Safetensors writer")
struct SafetensorsWriterTests {
    @Test func reproducesTheReferenceBytesOfTheGoldenExample() throws {
        var writer = SafetensorsWriter(metadata: ["k": "v"])
        try writer.add("c", shape: [3], data: .i8([1, -2, 3]))
        try writer.add("b", shape: [3], data: .f16([1, 1, 1]))
        try writer.add("a", shape: [2, 3], data: .bf16([0, 1, 2, 3, 4, 5]))
        #expect(writer.encoded() == SafetensorsReaderTests.goldenBytes)
    }

    @Test func roundTripsEveryWrittenType() throws {
        var writer = SafetensorsWriter(metadata: ["format": "pt", "quant \"bits\"": "3\n4"])
        let f32: [Float] = [1.5, -2.25, 3e-8, .greatestFiniteMagnitude, -0.0, 7]
        let f64: [Double] = [.pi, -1e300, 0.1]
        let f16: [Float16] = [0.5, -65504, 0.099975586]
        try writer.add("w.f32", shape: [2, 3], data: .f32(f32))
        try writer.add("w.f64", shape: [3], data: .f64(f64))
        try writer.add("w.f16", shape: [3, 1], data: .f16(f16))
        try writer.add("codes.i32", shape: [2, 2], data: .i32([Int32.min, -1, 0, Int32.max]))
        try writer.add("codes.u8", shape: [4], data: .u8([0, 1, 254, 255]))
        try writer.add("ids.i64", shape: [1, 2], data: .i64([Int64.max, -5]))
        try writer.add("scalar", shape: [], data: .f32([42]))
        try writer.add("empty", shape: [0, 4], data: .f32([]))
        let scratch = try CheckpointScratch()
        let url = scratch.file("all.safetensors")
        try writer.write(to: url)

        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == writer.metadata)
        #expect(try file.floats("w.f32") == f32)
        #expect(try file.info("w.f32").shape == [2, 3])
        #expect(try file.doubles("w.f64") == f64)
        #expect(try file.floats("w.f16") == f16.map(Float.init))
        #expect(try file.bytes("codes.i32") == [Int32.min, -1, 0, Int32.max].withUnsafeBytes(Array.init))
        #expect(try file.bytes("codes.u8") == [0, 1, 254, 255])
        #expect(try file.bytes("ids.i64") == [Int64.max, -5].withUnsafeBytes(Array.init))
        #expect(try file.floats("scalar") == [42])
        #expect(try file.matrix("empty") == Matrix(rows: 0, cols: 4))
        #expect(Set(file.tensors.map(\.name)) == Set(writer.tensorNames))
    }

    @Test func layoutIsWidestTypeFirstThenByNameAndAligned() throws {
        var writer = SafetensorsWriter()
        try writer.add("z8", shape: [3], data: .u8([1, 2, 3]))
        try writer.add("b32", shape: [1], data: .f32([1]))
        try writer.add("a32", shape: [1], data: .i32([1]))
        try writer.add("h16", shape: [1], data: .f16([1]))
        try writer.add("d64", shape: [1], data: .f64([1]))
        let bytes = writer.encoded()
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        #expect((8 + headerLength) % 8 == 0)
        let scratch = try CheckpointScratch()
        let file = try SafetensorsFile(url: scratch.write(bytes, to: "order.safetensors"))
        #expect(file.tensors.map(\.name) == ["d64", "b32", "a32", "h16", "z8"])
        for info in file.tensors {
            #expect((8 + headerLength + info.dataOffsets.lowerBound) % (info.dtype.bitWidth / 8) == 0)
        }
    }

    @Test func roundsToBFloat16NearestEven() throws {
        #expect(TensorData.bfloat16Bits(1) == 0x3F80)
        #expect(TensorData.bfloat16Bits(1.00390625) == 0x3F80)  // halfway, even is down
        #expect(TensorData.bfloat16Bits(1.01171875) == 0x3F82)  // halfway, even is up
        #expect(TensorData.bfloat16Bits(1.005) == 0x3F81)
        #expect(TensorData.bfloat16Bits(-.infinity) == 0xFF80)
        #expect(TensorData.bfloat16Bits(.greatestFiniteMagnitude) == 0x7F80)  // rounds up to +inf
        #expect(Float(bitPattern: UInt32(TensorData.bfloat16Bits(.nan)) << 16).isNaN)
    }

    @Test func rejectsDataThatDoesNotFitItsShape() {
        var writer = SafetensorsWriter()
        #expect(throws: SafetensorsError.invalidTensorData(tensor: "w", reason: "shape [2, 2] needs 4 elements, got 3")) {
            try writer.add("w", shape: [2, 2], data: .f32([1, 2, 3]))
        }
        #expect(throws: SafetensorsError.invalidTensorData(tensor: "__metadata__", reason: "the name is empty or reserved")) {
            try writer.add("__metadata__", shape: [1], data: .u8([1]))
        }
        #expect(throws: SafetensorsError.invalidTensorData(tensor: "v", reason: "shape [-1] has a negative dimension")) {
            try writer.add("v", shape: [-1], data: .u8([]))
        }
    }

    @Test func rejectsDuplicateNames() throws {
        var writer = SafetensorsWriter()
        try writer.add("w", matrix: Matrix(rows: 1, cols: 2, storage: [1, 2]))
        #expect(throws: SafetensorsError.invalidTensorData(tensor: "w", reason: "a tensor of that name was already added")) {
            try writer.add("w", shape: [1], data: .f32([1]))
        }
    }

    @Test func replacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(text: "old contents", to: "model.safetensors")
        var writer = SafetensorsWriter()
        try writer.add("w", matrix: Matrix(rows: 2, cols: 2, storage: [1, 2, 3, 4]))
        try writer.write(to: url)
        #expect(try SafetensorsFile(url: url).matrix("w") == Matrix(rows: 2, cols: 2, storage: [1, 2, 3, 4]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["model.safetensors"])
    }

    @Test func failedRenameLeavesTheDestinationAndNoPartialFile() throws {
        let scratch = try CheckpointScratch()
        let blocker = scratch.file("out.safetensors")
        try FileManager.default.createDirectory(at: blocker.appendingPathComponent("keep"), withIntermediateDirectories: true)
        var writer = SafetensorsWriter()
        try writer.add("w", shape: [1], data: .f32([1]))
        #expect {
            try writer.write(to: blocker)
        } throws: { error in
            guard case let .writeFailed(file, reason) = error as? SafetensorsError else { return false }
            return file == blocker.path && reason.hasPrefix("cannot move the written file into place")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["out.safetensors"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocker.path) == ["keep"])
    }

    @Test func missingFolderIsAWriteError() throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("no-such-folder/out.safetensors")
        var writer = SafetensorsWriter()
        try writer.add("w", shape: [1], data: .f32([1]))
        #expect {
            try writer.write(to: url)
        } throws: { error in
            guard case let .writeFailed(file, _) = error as? SafetensorsError else { return false }
            return file == url.path
        }
    }
}
