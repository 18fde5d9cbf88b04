/// Typed reads of the keys of one JSON object in `config.json`, with errors naming file and key.
///
/// A key holding `null` counts as absent, as in transformers (`n_inner: null`, `rope_scaling: null`).
struct ConfigFields {
    let object: StrictJSON
    let file: String
    /// Dotted path of this object in the file, e.g. `rope_scaling`; empty at the top level.
    let path: String

    init(object: StrictJSON, file: String, path: String = "") {
        self.object = object
        self.file = file
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String) -> StrictJSON? {
        guard let found = object[key], found != .null else { return nil }
        return found
    }

    private func invalid(_ key: String, _ reason: String) -> ModelConfigError {
        .invalidValue(file: file, key: name(key), reason: reason)
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func optionalInt(_ key: String) throws(ModelConfigError) -> Int? {
        guard let found = value(key) else { return nil }
        guard case let .number(text) = found, let number = Int(text) else { throw invalid(key, "is not an integer") }
        return number
    }

    func int(_ key: String) throws(ModelConfigError) -> Int {
        guard let number = try optionalInt(key) else { throw .missingKey(file: file, key: name(key)) }
        return number
    }

    /// A required integer that must be at least 1 (a dimension or a count).
    func positiveInt(_ key: String) throws(ModelConfigError) -> Int {
        let number = try int(key)
        guard number > 0 else { throw invalid(key, "must be positive, found \(number)") }
        return number
    }

    /// An optional integer that, when present, must be at least 1.
    func positiveInt(_ key: String, default fallback: Int) throws(ModelConfigError) -> Int {
        guard has(key) else { return fallback }
        return try positiveInt(key)
    }

    /// An optional number that, when present, must be finite and above 0 (every real-valued setting the
    /// architectures read is: norm epsilons, RoPE bases and scaling factors).
    func optionalPositiveDouble(_ key: String) throws(ModelConfigError) -> Double? {
        guard let found = value(key) else { return nil }
        guard case let .number(text) = found, let number = Double(text) else { throw invalid(key, "is not a number") }
        guard number.isFinite, number > 0 else { throw invalid(key, "must be a positive number, found \(text)") }
        return number
    }

    func positiveDouble(_ key: String) throws(ModelConfigError) -> Double {
        guard let number = try optionalPositiveDouble(key) else { throw .missingKey(file: file, key: name(key)) }
        return number
    }

    func positiveDouble(_ key: String, default fallback: Double) throws(ModelConfigError) -> Double {
        try optionalPositiveDouble(key) ?? fallback
    }

    /// A norm epsilon: positive and at most 1 (a larger one washes the activations out; models use 1e-12…1e-5).
    func epsilon(_ key: String, default fallback: Double) throws(ModelConfigError) -> Double {
        let value = try positiveDouble(key, default: fallback)
        guard value <= 1 else { throw invalid(key, "must be at most 1 (it is a norm epsilon), found \(value)") }
        return value
    }

    func bool(_ key: String, default fallback: Bool) throws(ModelConfigError) -> Bool {
        guard let found = value(key) else { return fallback }
        guard case let .bool(flag) = found else { throw invalid(key, "is not a boolean") }
        return flag
    }

    func optionalString(_ key: String) throws(ModelConfigError) -> String? {
        guard let found = value(key) else { return nil }
        guard case let .string(text) = found else { throw invalid(key, "is not a string") }
        return text
    }

    func string(_ key: String, default fallback: String) throws(ModelConfigError) -> String {
        try optionalString(key) ?? fallback
    }

    /// An integer or a list of integers (`eos_token_id`); absent gives `[]`.
    func intList(_ key: String) throws(ModelConfigError) -> [Int] {
        guard let found = value(key) else { return [] }
        switch found {
        case let .number(text):
            guard let number = Int(text) else { throw invalid(key, "is not an integer") }
            return [number]
        case let .array(items):
            var numbers: [Int] = []
            for item in items {
                guard case let .number(text) = item, let number = Int(text) else {
                    throw invalid(key, "is not an integer or a list of integers")
                }
                numbers.append(number)
            }
            return numbers
        default:
            throw invalid(key, "is not an integer or a list of integers")
        }
    }

    func optionalObject(_ key: String) throws(ModelConfigError) -> ConfigFields? {
        guard let found = value(key) else { return nil }
        guard case .object = found else { throw invalid(key, "is not an object") }
        return ConfigFields(object: found, file: file, path: name(key))
    }
}
