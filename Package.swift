// swift-tools-version: 6.0
import PackageDescription

// The stages of cmlogcheck, one target each. Data flows one way, and each
// target imports only the stages before it, so the compiler enforces the
// order (docs/architecture.md):
//
//   LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
//
// Hand-off types are `package`: visible to the later stages, not a public API.
// Release builds skip Swift's run-time exclusivity checks: the per-record path runs
// through class properties (the framer's counters, the output buffer), and each access
// paid for a check (about 4% of a review, docs/performance.md). Debug builds, and so
// the test suite, keep them.
//
// scripts/fuzz.sh sets CMLOGCHECK_FUZZ_BUILD: the stages it fuzzes are then instrumented for
// libFuzzer and the address sanitizer, and nothing else is (the EmbedResources tool must link
// as a plain program; `-Xswiftc -sanitize=fuzzer` would instrument and break it).
let fuzzing = Context.environment["CMLOGCHECK_FUZZ_BUILD"] != nil
let stageSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
    + (fuzzing ? [.unsafeFlags(["-sanitize=fuzzer,address"])] : [])

let package = Package(
    name: "cmlogcheck",
    products: [
        .executable(name: "cmlogcheck", targets: ["cmlogcheck"]),
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
        // PCRE2 behind a small interface: compile once, JIT, match bytes.
        .target(name: "LogMatching", dependencies: ["CPCRE2"], swiftSettings: stageSettings),
        // Bytes to records: sources, decoding, lines, framing, the time model, CSV tables.
        .target(name: "LogInput", dependencies: ["LogMatching"], swiftSettings: stageSettings),
        // The rule catalog as data, the classifier that turns records into events, and the
        // knowledge of what codes and messages mean (knowledge.json, `cmlogcheck explain`).
        // The JSON files are built into the binary (the EmbedResources plugin), so an
        // installed cmlogcheck needs no resource folder beside it.
        .target(
            name: "LogRules",
            dependencies: ["LogMatching", "LogInput"],
            swiftSettings: stageSettings,
            plugins: ["EmbedResources"]
        ),
        // Events to typed facts: upload cycles, failures, device actions, devices. No prose.
        .target(name: "LogAnalysis", dependencies: ["LogInput", "LogRules"], swiftSettings: stageSettings),
        // Facts to findings and the verdict; the finding texts as data; the review pipeline.
        .target(
            name: "LogFindings",
            dependencies: ["LogInput", "LogRules", "LogAnalysis"],
            swiftSettings: stageSettings,
            plugins: ["EmbedResources"]
        ),
        // Outputs for people and machines: text, JSON, JSON Lines.
        .target(name: "LogReport", dependencies: ["LogInput", "LogRules", "LogAnalysis", "LogFindings"], swiftSettings: stageSettings),
        // The live driver: following files, the overdue clock, alerts.
        .target(name: "LogFollow", dependencies: ["LogInput", "LogRules", "LogAnalysis", "LogFindings", "LogReport"], swiftSettings: stageSettings),
        // The subcommands: argument parsing only, the work is in the stages.
        .target(
            name: "CMLogCheckCLI",
            dependencies: [
                "LogMatching", "LogInput", "LogRules", "LogAnalysis", "LogFindings", "LogReport", "LogFollow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "cmlogcheck", dependencies: ["CMLogCheckCLI"]),
        // Build time only: a target's *.json files as one generated Swift source.
        .executableTarget(name: "ResourceEmbedder"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["ResourceEmbedder"]),
        .testTarget(
            name: "CMLogCheckTests",
            dependencies: [
                "LogMatching", "LogInput", "LogRules", "LogAnalysis", "LogFindings", "LogReport", "LogFollow",
                "CMLogCheckCLI",
            ]
        ),
    ]
)
