import Foundation
import QuantCore

/// The machine a run ran on, as recorded in `run.json` and shown in the reports.
public struct RunEnvironment: Sendable, Equatable, Codable {
    /// The CPU model name, e.g. `Intel(R) Xeon(R) Processor`.
    public var cpuModel: String
    public var cores: Int
    /// The BLAS library and the kernels it chose, e.g. `OpenBLAS Haswell kernels`.
    public var blas: String
    public var os: String?
    public var swift: String?

    public init(cpuModel: String, cores: Int, blas: String, os: String? = nil, swift: String? = nil) {
        self.cpuModel = cpuModel
        self.cores = cores
        self.blas = blas
        self.os = os
        self.swift = swift
    }

    /// The machine this process runs on.
    public static func current() -> RunEnvironment {
        let cpuinfo = FileHandle(forReadingAtPath: "/proc/cpuinfo").map { handle in
            defer { try? handle.close() }
            return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        }
        return RunEnvironment(cpuModel: cpuinfo.flatMap(cpuModel(fromCPUInfo:)) ?? "unknown",
                              cores: ProcessInfo.processInfo.activeProcessorCount,
                              blas: "OpenBLAS \(BLASRuntime.coreName) kernels",
                              os: ProcessInfo.processInfo.operatingSystemVersionString,
                              swift: compilerVersion)
    }

    /// The first `model name` (x86) or `Model` / `Hardware` (ARM) entry of a /proc/cpuinfo text.
    public static func cpuModel(fromCPUInfo text: String) -> String? {
        for key in ["model name", "Model", "Hardware"] {
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    private static var compilerVersion: String {
        #if compiler(>=6.3)
        return "Swift 6.3 or newer"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #elseif compiler(>=6.1)
        return "Swift 6.1"
        #else
        return "Swift 6.0"
        #endif
    }
}
