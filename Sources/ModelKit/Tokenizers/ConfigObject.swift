import Foundation

/// Typed, path-aware access to one JSON object of a tokenizer file.
///
/// Built on ModelKit's `StrictJSON`, which keeps every member with its exact key: a vocabulary may hold two
/// canonically equivalent tokens (`Å` U+212B and `Å` U+00C5) that a `String`-keyed dictionary would merge.
struct ConfigObject {
    let members: [(key: String, value: StrictJSON)]
    /// Dotted path of this object inside the file, for error messages.
    let path: String

    init(_ members: [(key: String, value: StrictJSON)], path: String) {
        self.members = members
        self.path = path
    }

    /// Parses a whole JSON document whose top level is an object.
    init(json data: Data) throws {
        let parsed: StrictJSON
        do {
            parsed = try StrictJSONParser.parse([UInt8](data))
        } catch {
            throw TokenizerError.Fault.malformed(reason: "not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        guard case .object(let members) = parsed else {
            throw TokenizerError.Fault.malformed(reason: "the top level is not a JSON object")
        }
        self.init(members, path: "")
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of the last member whose key has exactly these scalars; nil when absent or null.
    func value(_ key: String) -> StrictJSON? {
        guard let member = members.last(where: { $0.key.utf8.elementsEqual(key.utf8) }) else { return nil }
        if case .null = member.value { return nil }
        return member.value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func string(_ key: String) throws -> String {
        guard case .string(let text)? = value(key) else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    func int(_ key: String) throws -> Int {
        guard let number = value(key).flatMap(ConfigObject.integer) else {
            throw TokenizerError.Fault.missingField(fieldPath(key))
        }
        return number
    }

    func optionalInt(_ key: String) throws -> Int? {
        has(key) ? try int(key) : nil
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let found = value(key) else { return fallback }
        guard case .bool(let flag) = found else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return flag
    }

    func optionalBool(_ key: String) throws -> Bool? {
        has(key) ? try bool(key, default: false) : nil
    }

    func object(_ key: String) throws -> ConfigObject {
        guard case .object(let members)? = value(key) else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return ConfigObject(members, path: fieldPath(key))
    }

    func optionalObject(_ key: String) throws -> ConfigObject? {
        has(key) ? try object(key) : nil
    }

    func array(_ key: String) throws -> [StrictJSON] {
        guard case .array(let items)? = value(key) else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return items
    }

    /// The elements of an array of objects.
    func objects(_ key: String) throws -> [ConfigObject] {
        try array(key).enumerated().map { index, element in
            guard case .object(let members) = element else {
                throw TokenizerError.Fault.missingField("\(fieldPath(key))[\(index)]")
            }
            return ConfigObject(members, path: "\(fieldPath(key))[\(index)]")
        }
    }

    /// All members as token → id, for a `vocab` object.
    func vocabulary() throws -> [TokenKey: Int] {
        var vocab: [TokenKey: Int] = [:]
        vocab.reserveCapacity(members.count)
        for (key, value) in members {
            guard let id = ConfigObject.integer(value) else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
            vocab[TokenKey(key)] = id
        }
        return vocab
    }

    /// The `type` tag of a component object.
    func type() throws -> String { try string("type") }

    /// A JSON number that is an integer.
    static func integer(_ value: StrictJSON) -> Int? {
        guard case .number(let literal) = value else { return nil }
        if let exact = Int(literal) { return exact }
        guard let real = Double(literal), real == real.rounded(), abs(real) < 9e15 else { return nil }
        return Int(real)
    }
}
