/// Reads the `"text"` field of every line of a JSONL file with the strict JSON parser.
enum JSONLinesReader {
    /// The texts in line order; blank lines are skipped, anything else must be an object with a string `text`.
    static func texts(_ bytes: [UInt8], file: String) throws(CalibrationError) -> [String] {
        var texts: [String] = []
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: StrictJSON
            do { value = try StrictJSONParser.parse(line) } catch {
                throw .badJSONLine(file: file, line: lineNumber, reason: "bad JSON at column \(error.offset + 1): \(error.reason)")
            }
            guard case let .object(members) = value else {
                throw .badJSONLine(file: file, line: lineNumber, reason: "expected a JSON object, found a \(value.kindName)")
            }
            guard let text = members.last(where: { $0.key == "text" })?.value else {
                throw .badJSONLine(file: file, line: lineNumber, reason: "the object has no \"text\" field")
            }
            guard case let .string(s) = text else {
                throw .badJSONLine(file: file, line: lineNumber, reason: "\"text\" is a \(text.kindName), not a string")
            }
            texts.append(s)
        }
        return texts
    }
}
