import Foundation

/// The JSON coding of `run.json`: pretty, sorted keys; non-finite numbers as the strings `nan`, `inf`, `-inf`.
enum ReportJSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// `run.json`'s bytes, ending in a newline.
    static func encode(_ report: RunReport) throws -> Data {
        var data = try encoder().encode(report)
        data.append(0x0A)
        return data
    }
}
