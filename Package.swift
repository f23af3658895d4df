// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "cmlogcheck",
    products: [
        .executable(name: "cmlogcheck", targets: ["cmlogcheck"]),
        .library(name: "CMLogCheckKit", targets: ["CMLogCheckKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // PCRE2's 8-bit library, the matching engine. Found through pkg-config.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // Everything that reads, frames, matches, analyses and reports.
        .target(
            name: "CMLogCheckKit",
            dependencies: ["CPCRE2"],
            resources: [.copy("Rules/default-rules.json")]
        ),
        // The subcommands: argument parsing only, the work is in CMLogCheckKit.
        .target(
            name: "CMLogCheckCLI",
            dependencies: [
                "CMLogCheckKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "cmlogcheck", dependencies: ["CMLogCheckCLI"]),
        .testTarget(
            name: "CMLogCheckKitTests",
            dependencies: ["CMLogCheckKit", "CMLogCheckCLI"]
        ),
    ]
)
