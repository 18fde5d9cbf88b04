// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "quantbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quantbench", targets: ["quantbench"]),
        .library(name: "QuantCore", targets: ["QuantCore"]),
        .library(name: "ModelKit", targets: ["ModelKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "QuantCore", dependencies: ["CBLAS"]),
        .target(name: "ModelKit", dependencies: ["QuantCore"]),
        .executableTarget(
            name: "quantbench",
            dependencies: [
                "QuantCore", "ModelKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "QuantCoreTests", dependencies: ["QuantCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelKitTests", dependencies: ["ModelKit"], resources: [.copy("Fixtures")]),
    ]
)
