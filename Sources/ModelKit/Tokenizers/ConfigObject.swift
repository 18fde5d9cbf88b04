import Foundation

/// Typed, path-aware access to one JSON object of a tokenizer file.
struct ConfigObject {
    let values: [String: Any]
    /// Dotted path of this object inside the file, for error messages.
    let path: String

    init(_ values: [String: Any], path: String) {
        self.values = values
        self.path = path
    }

    /// Parses a whole JSON document whose top level is an object.
    init(json data: Data) throws {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.Fault.malformed(reason: "not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw TokenizerError.Fault.malformed(reason: "the top level is not a JSON object")
        }
        self.init(object, path: "")
    }

    private func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func isNull(_ key: String) -> Bool { values[key] == nil || values[key] is NSNull }

    func has(_ key: String) -> Bool { !isNull(key) }

    func string(_ key: String) throws -> String {
        guard let value = values[key] as? String else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return value
    }

    func optionalString(_ key: String) throws -> String? {
        isNull(key) ? nil : try string(key)
    }

    func int(_ key: String) throws -> Int {
        guard let value = values[key] as? NSNumber else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return value.intValue
    }

    func optionalInt(_ key: String) throws -> Int? {
        isNull(key) ? nil : try int(key)
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        if isNull(key) { return fallback }
        guard let value = values[key] as? Bool else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return value
    }

    func optionalBool(_ key: String) throws -> Bool? {
        isNull(key) ? nil : try bool(key, default: false)
    }

    func object(_ key: String) throws -> ConfigObject {
        guard let value = values[key] as? [String: Any] else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return ConfigObject(value, path: fieldPath(key))
    }

    func optionalObject(_ key: String) throws -> ConfigObject? {
        isNull(key) ? nil : try object(key)
    }

    func array(_ key: String) throws -> [Any] {
        guard let value = values[key] as? [Any] else { throw TokenizerError.Fault.missingField(fieldPath(key)) }
        return value
    }

    /// The elements of an array of objects.
    func objects(_ key: String) throws -> [ConfigObject] {
        try array(key).enumerated().map { index, element in
            guard let object = element as? [String: Any] else {
                throw TokenizerError.Fault.missingField("\(fieldPath(key))[\(index)]")
            }
            return ConfigObject(object, path: "\(fieldPath(key))[\(index)]")
        }
    }

    /// The `type` tag of a component object.
    func type() throws -> String { try string("type") }
}
