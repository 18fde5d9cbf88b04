import ArgumentParser
import QuantCore

/// The solver flags shared by every command that quantizes (`solve`, `quantize`), turned into a
/// `LayerMethod`. Only `--method` is declared here; every other method flag comes from the method
/// schema (`MethodFlags`), so flags, defaults, ranges and help are the ones recipes use.
struct MethodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The solver: \(MethodName.list). Its settings are given as the flags below.",
                               discussion: MethodFlags.help))
    var method: MethodName

    /// The method flags as given (`--bits=3`, `--sym`), each handed to this option by
    /// `MethodFlags.wrapping` before parsing, and read through the schema.
    @Option(name: .customLong("method-setting"), parsing: .unconditionalSingleValue, help: ArgumentHelp(visibility: .private))
    var settingFlags: [String] = []

    /// The declared option that carries each method flag.
    static let settingOption = "--method-setting"

    /// Runs at parse time, so a flag the method does not take is reported with the subcommand's usage.
    func validate() throws {
        _ = try layerMethod()
    }

    /// The method with every given setting; rejects flags the method does not take and bad values.
    func layerMethod() throws -> LayerMethod {
        do { return try MethodFlags.method(method, arguments: settingFlags) } catch { throw ValidationError(error.description) }
    }
}

extension MethodName: ExpressibleByArgument {}
