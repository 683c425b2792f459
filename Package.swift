// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Vigil: self-hosted threat detection over CloudTrail, VPC Flow Logs and Route 53 Resolver query logs.
///
/// Targets are split by dependency direction:
///   CVigilJSON, CVigilGeo,          (C shims over Debian's simdjson, libloc, libmaxminddb,
///   CLibdeflate, CZlib, CVigilFetch, libdeflate, zlib, libcurl, PCRE2)
///   CVigilRegex
///   VigilModel                      (GuardDuty finding schema, catalogue; depends on nothing)
///   VigilLogs                       (log readers; Model + shims)
///   VigilIntel                      (indicator sets, list formats, Public Suffix List, where lists may be read from; Model + CVigilFetch)
///   VigilGeo                        (IP geolocation and ASN enrichment; Model + Intel + CVigilGeo)
///   VigilDetection                  (engine and detectors; Model + Logs + Intel + Geo)
///   VigilSimulation                 (the estate simulator and log synthesizers; Model + Logs + Geo + Detection)
///   VigilStore                      (the durable store: one small protocol per concern, FindingCriteria, SQLite through GRDB; Model)
///   VigilPostgres                   (the same store protocols on PostgreSQL through postgres-nio, for many nodes; Model + Store)
///   VigilAWS                        (SigV4 signing and its shared parts, the credential chain, S3/STS clients; Model + async-http-client)
///   VigilIngest                     (where logs come from beyond local files: S3 listings and downloads; Logs + AWS)
///   VigilPipeline                   (the one findings pipeline of scan, serve and ingest; Detection + Store)
///   VigilPublish                    (event delivery through the outbox: webhooks, files, exports, EventBridge, SNS, Security Hub; Model + Store + AWS)
///   VigilAPI                        (GuardDuty's rest-json API and SigV4 verification; Model + Intel + Store + Publish + AWS)
///   VigilServer                     (`vigil serve`: HTTP through Hummingbird, services, folder watching; all above)
///   VigilCommands                   (the command line; everything but VigilTesting)
///   VigilTesting                    (test helpers only, never linked into `vigil`)
///   vigil                           (the executable)
/// The per-record targets skip the run-time exclusivity checks in release builds: their per-record
/// paths read detector state kept in classes, and each read was a call into the runtime (some 5 %
/// of a scan). Debug builds — every test — keep the checks, so a conflicting access still traps there.
let perRecordSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilModel", targets: ["VigilModel"]),
        .library(name: "VigilLogs", targets: ["VigilLogs"]),
        .library(name: "VigilIntel", targets: ["VigilIntel"]),
        .library(name: "VigilDetection", targets: ["VigilDetection"]),
        .library(name: "VigilRules", targets: ["VigilRules"]),
        .library(name: "VigilTesting", targets: ["VigilTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "CVigilJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),
        .target(
            name: "CVigilGeo",
            linkerSettings: [.linkedLibrary("loc"), .linkedLibrary("maxminddb")]
        ),
        .target(
            name: "CVigilRegex",
            linkerSettings: [.linkedLibrary("pcre2-8")]
        ),
        .target(
            name: "CVigilFetch",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .systemLibrary(name: "CLibdeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "VigilModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "VigilIntel", dependencies: ["VigilModel", "CVigilFetch", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: perRecordSettings),
        .target(name: "VigilGeo", dependencies: ["VigilModel", "VigilIntel", "CVigilGeo", .product(name: "Atomics", package: "swift-atomics")],
                swiftSettings: perRecordSettings),
        .target(
            name: "VigilLogs",
            dependencies: ["VigilModel", "CVigilJSON", "CLibdeflate", "CZlib"],
            swiftSettings: perRecordSettings
        ),
        .target(
            name: "VigilDetection",
            dependencies: [
                "VigilModel", "VigilLogs", "VigilIntel", "VigilGeo",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: perRecordSettings
        ),
        .target(name: "VigilRules", dependencies: ["VigilModel", "VigilLogs", "VigilIntel", "VigilDetection", "CVigilRegex", .product(name: "Yams", package: "Yams")],
                resources: [.copy("Pack")], swiftSettings: perRecordSettings),
        .target(name: "VigilSimulation", dependencies: ["VigilModel", "VigilLogs", "VigilGeo", "VigilDetection"]),
        .target(name: "VigilTesting", dependencies: ["VigilModel", "VigilLogs", "VigilGeo", "VigilDetection", "VigilStore", "VigilPostgres"]),
        .target(name: "VigilStore", dependencies: ["VigilModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "VigilPostgres",
            dependencies: ["VigilModel", "VigilStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "VigilAWS",
            dependencies: ["VigilModel", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(name: "VigilIngest", dependencies: ["VigilModel", "VigilLogs", "VigilAWS"]),
        .target(
            name: "VigilPipeline",
            dependencies: ["VigilModel", "VigilLogs", "VigilIntel", "VigilGeo", "VigilDetection", "VigilStore",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics")]
        ),
        .target(
            name: "VigilPublish",
            dependencies: ["VigilModel", "VigilLogs", "VigilStore", "VigilAWS", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "Metrics", package: "swift-metrics")]
        ),
        .target(
            name: "VigilAPI",
            dependencies: ["VigilModel", "VigilIntel", "VigilStore", "VigilPublish", "VigilAWS", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics")]
        ),
        .target(
            name: "VigilServer",
            dependencies: [
                "VigilModel", "VigilLogs", "VigilIntel", "VigilGeo", "VigilDetection", "VigilStore", "VigilAPI", "VigilPipeline", "VigilPublish",
                "VigilAWS", "VigilIngest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Console/Assets")]
        ),
        .target(
            name: "VigilCommands",
            dependencies: [
                "VigilModel", "VigilLogs", "VigilDetection", "VigilSimulation", "CVigilJSON", "VigilGeo", "VigilStore", "VigilPostgres", "VigilPipeline",
                "VigilPublish", "VigilServer", "VigilAPI", "VigilAWS", "VigilIngest", "VigilRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(name: "vigil", dependencies: ["VigilCommands"]),
        .testTarget(name: "VigilModelTests", dependencies: ["VigilModel", "VigilTesting"]),
        .testTarget(name: "VigilIntelTests", dependencies: ["VigilIntel", "VigilTesting", "VigilSimulation"], exclude: ["Fixtures"]),
        .testTarget(name: "VigilGeoTests", dependencies: ["VigilGeo", "VigilTesting"]),
        .testTarget(name: "VigilLogsTests", dependencies: ["VigilLogs", "VigilTesting", "VigilSimulation", "CVigilJSON"]),
        .testTarget(name: "VigilDetectionTests", dependencies: ["VigilDetection", "VigilLogs", "VigilModel", "VigilTesting", "VigilSimulation"]),
        .testTarget(name: "VigilCommandsTests", dependencies: ["VigilCommands", "VigilTesting", "VigilSimulation", "VigilPublish", "VigilPipeline", "VigilPostgres", "VigilStore", "VigilRules"]),
        .testTarget(name: "VigilRulesTests", dependencies: ["VigilRules", "VigilDetection", "VigilLogs", "VigilModel", "VigilTesting"]),
        .testTarget(name: "VigilAWSTests", dependencies: ["VigilAWS", "VigilIngest", "VigilModel"]),
        .testTarget(name: "VigilAPITests", dependencies: ["VigilAPI", "VigilAWS", "VigilStore", "VigilModel", "VigilIntel", "VigilPublish", "VigilTesting", "VigilSimulation"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

// The libFuzzer targets (Fuzzing/), built only by scripts/fuzz: VIGIL_FUZZ=1 with
// `-sanitize=fuzzer,address -parse-as-library`, where libFuzzer supplies `main`.
if ProcessInfo.processInfo.environment["VIGIL_FUZZ"] != nil {
    let fuzzers: [(String, [Target.Dependency])] = [
        ("FuzzLogs", ["VigilLogs", "VigilDetection"]),
        ("FuzzLists", ["VigilIntel", "VigilModel"]),
        ("FuzzSigV4", ["VigilAPI"]),
        ("FuzzFindingCriteria", ["VigilAPI", "VigilModel", "VigilStore"]),
        ("FuzzConfiguration", ["VigilCommands"]),
        ("FuzzRules", ["VigilRules", "VigilDetection", "VigilLogs", "VigilModel"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzzing/FuzzSupport"))
    for (name, dependencies) in fuzzers {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzzing/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
