import ModelKit
import QuantCore

extension LayerMethod {
    /// Every setting of the method as flat strings, the form a safetensors `__metadata__` map takes:
    /// `method` and the method schema's recipe keys (`bits`, `group_size`, `sym`, …).
    public var settings: [String: String] {
        var s = ["method": name]
        for (setting, value) in MethodSchema.orderedValues(of: self) { s[setting.key] = value.text }
        return s
    }

    /// The method a layer file's `__metadata__` names. Keys that are no method setting (`precision`,
    /// `rel_err`) are ignored; a setting the method does not take, or a bad value, is an error.
    public init(settings: [String: String]) throws(MethodSchemaError) {
        guard let name = settings["method"] else { throw MethodSchemaError(key: nil, .unsupported("the metadata names no method")) }
        var values: [String: SettingValue] = [:]
        for (key, text) in settings {
            guard let setting = MethodSchema.setting(key) else { continue }
            do { values[key] = try setting.type.parse(text) } catch { throw MethodSchemaError(key: key, .badValue(error)) }
        }
        self = try MethodSchema.method(named: name, values: values)
    }
}
