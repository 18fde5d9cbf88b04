// swift-tools-version:6.0
import PackageDescription

/// The numeric targets: optimised in debug builds too (generic solver and forward-pass loops run 20–50×
/// slower at -Onone), and in release QuantCore's generic code is made specialisable by its clients, so
/// ModelKit and Engine calling `LayerMethod.solve` on `Float` get the specialised solvers (18× faster on the
/// demo model's layers than the unspecialised generic code).
let numericSettings: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "quantbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quantbench", targets: ["quantbench"]),
        .library(name: "QuantCore", targets: ["QuantCore"]),
        .library(name: "ModelKit", targets: ["ModelKit"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "TUIKit", targets: ["TUIKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(name: "QuantCore", dependencies: ["CBLAS"], swiftSettings: numericSettings),
        .target(name: "ModelKit", dependencies: ["QuantCore"], swiftSettings: numericSettings),
        .target(
            name: "Engine",
            dependencies: [
                "QuantCore", "ModelKit",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Reports", dependencies: ["QuantCore", "Engine"]),
        .target(name: "TUIKit"),
        .target(name: "Workbench", dependencies: ["TUIKit", "Engine", "QuantCore", .product(name: "Collections", package: "swift-collections")]),
        .target(name: "CursesBackend", dependencies: ["TUIKit", "CNcursesw"]),
        .executableTarget(
            name: "quantbench",
            dependencies: [
                "QuantCore", "ModelKit", "Engine", "Reports",
                "TUIKit", "Workbench", "CursesBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Rounding-error bounds the numeric test suites share.
        .target(name: "FloatBounds", dependencies: ["QuantCore"], path: "Tests/FloatBounds"),
        .testTarget(name: "QuantCoreTests", dependencies: ["QuantCore", "FloatBounds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelKitTests", dependencies: ["ModelKit", "FloatBounds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "FloatBounds"]),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit"], resources: [.copy("Snapshots")]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "TUIKit", "Engine"], resources: [.copy("Snapshots")]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Engine", .product(name: "SwiftCSV", package: "SwiftCSV")],
            resources: [.copy("Fixtures")]
        ),
    ]
)
