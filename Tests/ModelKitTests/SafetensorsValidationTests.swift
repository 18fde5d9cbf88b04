import Foundation
import Testing
@testable import ModelKit

/// One corrupt file and the error the reader must report for it.
struct SafetensorsFault: Sendable, CustomTestStringConvertible {
    let label: String
    let bytes: [UInt8]
    let expected: @Sendable (String) -> SafetensorsError

    var testDescription: String { label }

    init(_ label: String, header: String, data: [UInt8] = [], declaredLength: UInt64? = nil,
         _ expected: @escaping @Sendable (String) -> SafetensorsError) {
        self.label = label
        self.bytes = rawSafetensors(header: header, data: data, declaredLength: declaredLength)
        self.expected = expected
    }

    init(_ label: String, bytes: [UInt8], _ expected: @escaping @Sendable (String) -> SafetensorsError) {
        self.label = label
        self.bytes = bytes
        self.expected = expected
    }
}

private func entry(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
    #"{"dtype":"\#(dtype)","shape":[\#(shape.map(String.init).joined(separator: ","))],"data_offsets":[\#(begin),\#(end)]}"#
}

/// `{"<0xFF>":1}`: a header whose only key is not UTF-8.
private let invalidUTF8Header: [UInt8] = Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)

@Suite("Safetensors validation")
struct SafetensorsValidationTests {
    static let faults: [SafetensorsFault] = [
        .init("shorter than the length prefix", bytes: [1, 2, 3]) { .fileTooSmall(file: $0, size: 3) },
        .init("empty file", bytes: []) { .fileTooSmall(file: $0, size: 0) },
        .init("header length over the limit", header: "{}", declaredLength: 100_000_001) {
            .headerTooLarge(file: $0, length: 100_000_001)
        },
        .init("header longer than the file", header: "{}", declaredLength: 64) {
            .headerTruncated(file: $0, length: 64, fileSize: 10)
        },
        .init("header not starting with a brace", header: " {}") {
            .invalidHeaderJSON(file: $0, reason: "the header does not start with '{'")
        },
        .init("cut JSON", header: #"{"a":"#) {
            .invalidHeaderJSON(file: $0, reason: "invalid JSON at header byte 5: unexpected end of text")
        },
        .init("trailing garbage after the JSON", header: "{} x") {
            .invalidHeaderJSON(file: $0, reason: "invalid JSON at header byte 3: unexpected text after the JSON value")
        },
        .init("invalid UTF-8 in a name", bytes: rawSafetensors(header: "", data: invalidUTF8Header, declaredLength: UInt64(invalidUTF8Header.count))) {
            .invalidHeaderJSON(file: $0, reason: "invalid JSON at header byte 4: string is not valid UTF-8")
        },
        .init("metadata value not a string", header: #"{"__metadata__":{"format":1}}"#) {
            .invalidMetadata(file: $0, reason: "value of 'format' is number, not a string")
        },
        .init("metadata not an object", header: #"{"__metadata__":["pt"]}"#) {
            .invalidMetadata(file: $0, reason: "expected an object, found array")
        },
        .init("unknown dtype", header: #"{"w":\#(entry("F12", [1], 0, 4))}"#, data: [0, 0, 0, 0]) {
            .unknownDType(file: $0, tensor: "w", dtype: "F12")
        },
        .init("duplicate tensor name", header: #"{"w":\#(entry("U8", [1], 0, 1)),"w":\#(entry("U8", [1], 1, 2))}"#, data: [1, 2]) {
            .duplicateTensor(file: $0, tensor: "w")
        },
        .init("missing data_offsets", header: #"{"w":{"dtype":"U8","shape":[1]}}"#) {
            .invalidTensorEntry(file: $0, tensor: "w", reason: "missing 'data_offsets'")
        },
        .init("fractional shape", header: #"{"w":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}"#, data: [0]) {
            .invalidTensorEntry(file: $0, tensor: "w", reason: "'shape' is not an array of non-negative integers")
        },
        .init("negative shape", header: #"{"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}"#, data: [0]) {
            .invalidTensorEntry(file: $0, tensor: "w", reason: "'shape' is not an array of non-negative integers")
        },
        .init("offsets begin after end", header: #"{"w":\#(entry("U8", [0], 2, 1))}"#, data: [0, 0]) {
            .invalidTensorEntry(file: $0, tensor: "w", reason: "'data_offsets' begin 2 is after end 1")
        },
        .init("entry not an object", header: #"{"w":[0,1]}"#) {
            .invalidTensorEntry(file: $0, tensor: "w", reason: "expected an object, found array")
        },
        .init("byte size differs from shape x dtype", header: #"{"w":\#(entry("F32", [2], 0, 4))}"#, data: [0, 0, 0, 0]) {
            .sizeMismatch(file: $0, tensor: "w", expectedBytes: 8, actualBytes: 4)
        },
        .init("element count overflow", header: #"{"w":\#(entry("F32", [4_611_686_018_427_387_904, 4], 0, 0))}"#) {
            .invalidSize(file: $0, tensor: "w", reason: "element count of shape [4611686018427387904, 4] overflows")
        },
        .init("sub-byte tensor not filling whole bytes", header: #"{"w":\#(entry("F4", [3], 0, 2))}"#, data: [0, 0]) {
            .invalidSize(file: $0, tensor: "w", reason: "3 elements of F4 do not fill whole bytes")
        },
        .init("first tensor not at offset 0", header: #"{"w":\#(entry("U8", [2], 1, 3))}"#, data: [0, 0, 0]) {
            .noncontiguousData(file: $0, tensor: "w", expectedBegin: 0, begin: 1)
        },
        .init("hole between tensors", header: #"{"a":\#(entry("U8", [2], 0, 2)),"b":\#(entry("U8", [2], 3, 5))}"#, data: [0, 0, 0, 0, 0]) {
            .noncontiguousData(file: $0, tensor: "b", expectedBegin: 2, begin: 3)
        },
        .init("overlapping tensors", header: #"{"a":\#(entry("U8", [4], 0, 4)),"b":\#(entry("U8", [2], 2, 4))}"#, data: [0, 0, 0, 0]) {
            .noncontiguousData(file: $0, tensor: "b", expectedBegin: 4, begin: 2)
        },
        .init("truncated data", header: #"{"w":\#(entry("F32", [4], 0, 16))}"#, data: [0, 0, 0, 0, 0, 0]) {
            .incompleteBuffer(file: $0, tensorBytes: 16, bufferBytes: 6)
        },
        .init("trailing bytes after the last tensor", header: #"{"w":\#(entry("U8", [2], 0, 2))}"#, data: [0, 0, 9]) {
            .incompleteBuffer(file: $0, tensorBytes: 2, bufferBytes: 3)
        },
    ]

    @Test(arguments: faults)
    func reportsTheFault(_ fault: SafetensorsFault) throws {
        let scratch = try CheckpointScratch()
        let url = try scratch.write(fault.bytes, to: "bad.safetensors")
        let expected = fault.expected(url.path)
        #expect(throws: expected) { try SafetensorsFile(url: url) }
        #expect(expected.description.hasPrefix(url.path + ": "))
    }

    @Test func missingFileNamesThePathAndReason() throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("absent.safetensors")
        #expect(throws: SafetensorsError.cannotOpen(file: url.path, reason: "no such file")) {
            try SafetensorsFile(url: url)
        }
    }

    @Test func directoryIsNotAFile() throws {
        let scratch = try CheckpointScratch()
        #expect(throws: SafetensorsError.cannotOpen(file: scratch.url.path, reason: "not a regular file (a folder)")) {
            try SafetensorsFile(url: scratch.url)
        }
    }

    /// Opening a FIFO for reading would wait for a writer forever: it is refused by its kind, at once.
    @Test(.timeLimit(.minutes(1))) func aFIFOIsRefusedWithoutWaiting() throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("model.safetensors")
        #expect(mkfifo(url.path, 0o600) == 0)
        #expect(throws: SafetensorsError.cannotOpen(file: url.path, reason: "not a regular file (a FIFO)")) {
            try SafetensorsFile(url: url)
        }
    }

    @Test func aSymbolicLinkLoopIsNamedAsOne() throws {
        let scratch = try CheckpointScratch()
        let url = scratch.file("model.safetensors")
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: url.path)
        #expect(throws: SafetensorsError.cannotOpen(file: url.path, reason: "a symbolic link loop")) {
            try SafetensorsFile(url: url)
        }
    }

    @Test func messagesDescribeHolesOverlapsAndTruncation() {
        #expect(SafetensorsError.noncontiguousData(file: "f", tensor: "b", expectedBegin: 2, begin: 3).description
            == "f: tensor 'b' starts at byte 3, leaving a hole after byte 2")
        #expect(SafetensorsError.noncontiguousData(file: "f", tensor: "b", expectedBegin: 4, begin: 2).description
            == "f: tensor 'b' starts at byte 2, overlapping data that ends at byte 4")
        #expect(SafetensorsError.incompleteBuffer(file: "f", tensorBytes: 16, bufferBytes: 6).description
            == "f: truncated safetensors file: tensors need 16 data bytes, the file has 6")
    }
}
