/// A `LayerMethod` is stored flat, with the recipe keys: `{"method": "quantease", "bits": 3, "sweeps": 30, …}`
/// (every setting that applies; `relative_tolerance: none` as null). Decoding goes through `MethodSchema`,
/// so missing settings take their defaults and a setting the method does not take is an error.
extension LayerMethod: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(name, forKey: Key("method"))
        for (setting, value) in MethodSchema.orderedValues(of: self) {
            let key = Key(setting.key)
            switch value {
            case let .int(i): try c.encode(i, forKey: key)
            case let .double(d): try c.encode(d, forKey: key)
            case let .bool(b): try c.encode(b, forKey: key)
            case let .choice(s): try c.encode(s, forKey: key)
            case .none: try c.encodeNil(forKey: key)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let name = try c.decode(String.self, forKey: Key("method"))
        var values: [String: SettingValue] = [:]
        for key in c.allKeys where key.stringValue != "method" {
            guard let setting = MethodSchema.setting(key.stringValue) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "'\(key.stringValue)' is not a method setting")
            }
            switch setting.type {
            case .int: values[key.stringValue] = .int(try c.decode(Int.self, forKey: key))
            case .double: values[key.stringValue] = .double(try c.decode(Double.self, forKey: key))
            case .bool: values[key.stringValue] = .bool(try c.decode(Bool.self, forKey: key))
            case .choice: values[key.stringValue] = .choice(try c.decode(String.self, forKey: key))
            case .optionalDouble:
                if try c.decodeNil(forKey: key) { values[key.stringValue] = SettingValue.none; continue }
                if let text = try? c.decode(String.self, forKey: key), text == "none" { values[key.stringValue] = SettingValue.none; continue }
                values[key.stringValue] = .double(try c.decode(Double.self, forKey: key))
            }
        }
        do {
            self = try MethodSchema.method(named: name, values: values)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
}
