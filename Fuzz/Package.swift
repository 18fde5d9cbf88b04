// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for the parsers of untrusted input, one executable each. A package of its own, so a plain
/// `swift build` or `swift test` of quantbench never builds them; `make fuzz` builds them with
/// `--sanitize fuzzer --sanitize address` and runs each for a fixed time.
let package = Package(
    name: "quantbench-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "quantbench", path: "..")],
    targets: [
        .executableTarget(name: "FuzzSafetensors", dependencies: [.product(name: "ModelKit", package: "quantbench")]),
        .executableTarget(name: "FuzzGGUF", dependencies: [.product(name: "ModelKit", package: "quantbench")]),
        .executableTarget(name: "FuzzTokenizerJSON", dependencies: [.product(name: "ModelKit", package: "quantbench")]),
        .executableTarget(name: "FuzzTokenizerEncode", dependencies: [.product(name: "ModelKit", package: "quantbench")]),
        .executableTarget(name: "FuzzRecipe", dependencies: [.product(name: "Engine", package: "quantbench")]),
    ]
)
