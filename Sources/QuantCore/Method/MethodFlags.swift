/// The command-line form of the schema: every setting's flag (`--bits 3`, `--group-size=128`, `--sym`),
/// parsed into values, and the help text listing them.
///
/// ```swift
/// let m = try MethodFlags.method(.quantease, arguments: ["--bits", "3", "--init", "gptq"])
/// ```
public enum MethodFlags {
    /// The values the flags give; a bool setting's flag alone means true (`--sym`, or `--sym=false`).
    public static func values(_ arguments: [String]) throws(MethodFlagError) -> [String: SettingValue] {
        var values: [String: SettingValue] = [:]
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let flag = parts[0]
            guard let setting = MethodSchema.setting(flag: flag) else { throw .unknown(argument) }
            let text: String
            if parts.count == 2 {
                text = parts[1]
            } else if setting.type == .bool {
                text = "true"
            } else {
                guard i < arguments.count else { throw .missingValue(flag) }
                text = arguments[i]
                i += 1
            }
            guard values[setting.key] == nil else { throw .repeated(flag) }
            do { values[setting.key] = try setting.type.parse(text) } catch { throw .badValue(flag, error) }
        }
        return values
    }

    /// The arguments with every method flag (and its value, attached with `=`) handed to `option`:
    /// `--bits 3 --sym` → `option --bits=3 option --sym`. A command-line parser that declares only
    /// `option` then collects the method flags wherever they stand, without mistaking a value for a
    /// positional argument. Other arguments, and everything after `--`, are kept as they are.
    public static func wrapping(_ arguments: [String], in option: String) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { return out + arguments[i...] }
            let flag = String(a.prefix { $0 != "=" })
            i += 1
            guard let s = MethodSchema.setting(flag: flag) else { out.append(a); continue }
            if s.type != .bool, flag == a, i < arguments.count, !arguments[i].hasPrefix("--") {
                out += [option, a + "=" + arguments[i]]
                i += 1
            } else {
                out += [option, a]
            }
        }
        return out
    }

    /// The method the flags describe; every setting not given takes its default.
    public static func method(_ name: MethodName, arguments: [String]) throws(MethodFlagError) -> LayerMethod {
        let given = try values(arguments)
        do { return try MethodSchema.method(name, values: given) } catch { throw .schema(error) }
    }

    /// The flags that give `values` for `method` (the settings that differ from their defaults).
    public static func arguments(for method: LayerMethod) -> [String] {
        MethodSchema.orderedValues(of: method).filter { $0.value != $0.setting.defaultValue }.flatMap { s, v -> [String] in
            if case let .bool(b) = v, b { return [s.flag] }
            return ["\(s.flag)=\(v.text)"]
        }
    }

    /// One line per flag: the flag, what it takes, its default and the methods it applies to.
    public static var help: String {
        MethodSchema.settings.map { s in
            let head = ([s.flag, s.type.placeholder].filter { !$0.isEmpty }).joined(separator: " ")
            let methods = s.applicability.methodNames.map { m -> String in
                let conditions = s.applicability.methods[m] ?? []
                guard !conditions.isEmpty else { return m.rawValue }
                return m.rawValue + " with " + SettingType.orList(conditions.map { c in
                    "\(MethodSchema.setting(c.key)?.flag ?? c.key) \(c.value.text)"
                })
            }
            let takes = s.type == .bool ? "" : s.type.expected + ", "
            return "\(head): \(s.help) (\(takes)default \(s.defaultValue.text); \(methods.joined(separator: ", ")))"
        }.joined(separator: "\n")
    }
}

/// A method flag the command line cannot use, said in flag words.
public enum MethodFlagError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(String)
    case repeated(String)
    case badValue(String, SettingFault)
    case schema(MethodSchemaError)

    public var description: String {
        switch self {
        case let .unknown(a): return "unknown option '\(a)' (method flags: \(MethodSchema.settings.map(\.flag).joined(separator: ", ")))"
        case let .missingValue(f): return "\(f) needs a value"
        case let .repeated(f): return "\(f) is given twice"
        case let .badValue(f, fault): return "\(f): \(fault)"
        case let .schema(e): return e.flagMessage
        }
    }
}
