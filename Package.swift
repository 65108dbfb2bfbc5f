// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Library targets also import their dependencies internally unless a file says `public import`: a dependency's
/// type is part of the API only where that is meant (docs/architecture.md lists them).
let librarySettings: [SwiftSetting] = swiftSettings + [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "swift-workers-oauth-provider",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WorkersRuntime", targets: ["WorkersRuntime"]),
        .library(name: "WorkersKV", targets: ["WorkersKV"]),
        .library(name: "WorkersServer", targets: ["WorkersServer"]),
        .library(name: "WorkersOAuthProvider", targets: ["WorkersOAuthProvider"]),
        .library(name: "WorkersTesting", targets: ["WorkersTesting"]),
        .library(name: "WorkersAccess", targets: ["WorkersAccess"]),
        .library(name: "WorkersMCP", targets: ["WorkersMCP"]),
        .library(name: "GitHubStandIn", targets: ["GitHubStandIn"]),
        .executable(name: "bearer-token", targets: ["BearerToken"]),
        .executable(name: "github-mcp", targets: ["GitHubMCP"]),
        .executable(name: "access-protected", targets: ["AccessProtected"]),
        .executable(name: "conformance-fixture", targets: ["ConformanceFixture"]),
        .executable(name: "github-stand-in", targets: ["GitHubStandInServer"]),
        .executable(name: "runtime-benchmark", targets: ["RuntimeBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", from: "0.12.1"),
    ],
    targets: [
        // The Worker vocabulary: Request, Response, Env, ExecutionContext, config, cron. No server engine.
        .target(
            name: "WorkersRuntime",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: librarySettings
        ),
        // KV namespaces with Workers KV semantics: SQLite (default), files, memory.
        .target(
            name: "WorkersKV",
            dependencies: [
                "WorkersRuntime",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // The HTTP engine adapter (Hummingbird), TLS, outbound fetch, cron scheduler and the CLI.
        .target(
            name: "WorkersServer",
            dependencies: [
                "WorkersRuntime",
                "WorkersKV",
                // `oauth clients|grants|purge`, the admin commands every worker executable gets.
                "WorkersOAuthProvider",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // The OAuth 2.1 provider, mirroring @cloudflare/workers-oauth-provider. jwt-kit signs and verifies its
        // RFC 9068 JWT access tokens (`Signing/`).
        .target(
            name: "WorkersOAuthProvider",
            dependencies: [
                "WorkersRuntime",
                "WorkersKV",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                // RS256 signing keys are generated with `_RSA` (jwt-kit cannot generate RSA keys).
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // The provider configured for black-box conformance suites (the anchor's conformance worker). Test-only: it
        // lets anyone pre-register clients, so it is not part of the provider library.
        .target(
            name: "WorkersConformance",
            dependencies: ["WorkersOAuthProvider", "WorkersRuntime"],
            swiftSettings: librarySettings
        ),
        // A JWK Set cache (rotation, refresh cooldown, single flight, outages) shared by the JWT verifiers.
        .target(
            name: "WorkersJWKS",
            dependencies: [
                "WorkersRuntime",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // Guards that admit requests carrying a JWT signed by an identity-aware proxy (Cloudflare Access and others).
        .target(
            name: "WorkersAccess",
            dependencies: [
                "WorkersRuntime",
                "WorkersJWKS",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // A stand-in for GitHub's OAuth web flow and REST API: test fake and offline "development identity".
        .target(
            name: "GitHubStandIn",
            dependencies: [
                "WorkersRuntime",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: librarySettings
        ),
        // A Model Context Protocol server (swift-sdk) served over Streamable HTTP as a fetch handler.
        .target(
            name: "WorkersMCP",
            dependencies: [
                "WorkersRuntime",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySettings
        ),
        // Test support: live servers on port 0, an HTTP client, fakes of upstream services.
        .target(
            name: "WorkersTesting",
            dependencies: [
                "WorkersRuntime",
                "GitHubStandIn",
                "WorkersKV",
                "WorkersServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: librarySettings
        ),

        // Examples: executables built by every build.
        .executableTarget(
            name: "BearerToken",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "WorkersMCP",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Examples/BearerToken",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GitHubMCP",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "WorkersKV", "WorkersKVPostgres", "WorkersMCP", "WorkersOAuthProvider",
                "GitHubStandIn",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/GitHubMCP",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AccessProtected",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "WorkersAccess", "WorkersMCP",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Examples/AccessProtected",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ConformanceFixture",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "WorkersKV", "WorkersKVPostgres", "WorkersOAuthProvider", "WorkersConformance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/ConformanceFixture",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "GitHubStandInServer",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "GitHubStandIn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/GitHubStandInServer",
            swiftSettings: swiftSettings
        ),

        // Benchmarks: executables that print figures.
        .executableTarget(
            name: "RuntimeBenchmark",
            dependencies: [
                "WorkersRuntime", "WorkersServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RuntimeBenchmark",
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "WorkersRuntimeTests",
            dependencies: [
                "WorkersRuntime",
                "WorkersTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersKVTests",
            dependencies: ["WorkersKV", "WorkersRuntime", "WorkersTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersServerTests",
            dependencies: [
                "WorkersServer", "WorkersRuntime", "WorkersKV", "WorkersTesting", "WorkersAccess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersOAuthProviderTests",
            dependencies: [
                "WorkersOAuthProvider", "WorkersConformance", "WorkersRuntime", "WorkersKV", "WorkersServer", "WorkersTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Forging JWTs the signing-key tests must refuse (HS256 over a public key, alg none), and checking
                // the JWK Set with jwt-kit as a resource server would.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersAccessTests",
            dependencies: [
                "WorkersAccess", "WorkersRuntime", "WorkersServer", "WorkersTesting",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkersMCPTests",
            dependencies: [
                "WorkersMCP", "WorkersRuntime", "WorkersServer", "WorkersTesting",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GitHubStandInTests",
            dependencies: [
                "GitHubStandIn", "WorkersRuntime", "WorkersTesting",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ExamplesTests",
            dependencies: [
                "WorkersRuntime", "WorkersServer", "WorkersTesting", "WorkersKV", "WorkersMCP", "GitHubStandIn",
                "WorkersOAuthProvider", "BearerToken", "GitHubMCP", "AccessProtected",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// KV additions. WorkersKV: FileKV hashes long key names (Crypto's SHA-256) and SQLiteKV steps its hot `get`
// statement through the SQLite C API (GRDBSQLite). Targets: the benchmark (`swift run -c release kv-benchmark`) and
// the child process the crash test kills (built by `swift build --build-tests`, found next to the test bundle).
package.targets.first { $0.name == "WorkersKV" }?.dependencies += [
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "GRDBSQLite", package: "GRDB.swift"),
]
package.products.append(.executable(name: "kv-benchmark", targets: ["KVBenchmark"]))
package.targets.append(contentsOf: [
    .executableTarget(
        name: "KVBenchmark",
        dependencies: [
            "WorkersKV",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ],
        path: "Benchmarks/KVBenchmark",
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "KVCrashWriter",
        dependencies: ["WorkersKV", "WorkersRuntime"],
        path: "Tests/KVCrashWriter",
        swiftSettings: swiftSettings
    ),
])

// OAuth provider benchmark: serves the provider on a SQLiteKV file and pre-mints tokens and codes for
// `Benchmarks/run-oauth.sh`.
package.products.append(.executable(name: "oauth-benchmark", targets: ["OAuthBenchmark"]))
package.targets.append(
    .executableTarget(
        name: "OAuthBenchmark",
        dependencies: [
            "WorkersRuntime", "WorkersServer", "WorkersKV", "WorkersKVPostgres", "WorkersOAuthProvider",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Benchmarks/OAuthBenchmark",
        swiftSettings: swiftSettings
    )
)

// PostgreSQL KV backend: a KVAtomicNamespace on postgres-nio's PostgresClient, its own target and product so that
// only the workers that use it link the driver (`KVBackendFactory.postgres`). The benchmark
// (`Benchmarks/run-postgres-kv.sh`) compares it with the same statements sent through postgres-nio directly.
package.dependencies.append(.package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"))
package.products.append(.library(name: "WorkersKVPostgres", targets: ["WorkersKVPostgres"]))
package.products.append(.executable(name: "postgres-kv-benchmark", targets: ["PostgresKVBenchmark"]))
package.targets.append(contentsOf: [
    .target(
        name: "WorkersKVPostgres",
        dependencies: [
            "WorkersKV",
            "WorkersRuntime",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            // ConnectionPoolError only: the pool's circuit breaker is an outage, not a storage error.
            .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: librarySettings
    ),
    .executableTarget(
        name: "PostgresKVBenchmark",
        dependencies: [
            "WorkersKV",
            "WorkersKVPostgres",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Benchmarks/PostgresKVBenchmark",
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "WorkersKVPostgresTests",
        dependencies: [
            "WorkersKVPostgres", "WorkersKV", "WorkersRuntime", "WorkersTesting",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swiftSettings
    ),
])
package.targets.first { $0.name == "WorkersKVTests" }?.dependencies.append("WorkersKVPostgres")
package.targets.first { $0.name == "WorkersOAuthProviderTests" }?.dependencies.append("WorkersKVPostgres")

// Hummingbird integration: WorkersHummingbird mounts a Worker in a Hummingbird 2 router and runs the OAuthProvider
// as middleware in front of an app's own routes (Hummingbird's types appear only there); the `hummingbird-app`
// example and its tests through HummingbirdTesting's `app.test(.live)`.
package.products.append(.library(name: "WorkersHummingbird", targets: ["WorkersHummingbird"]))
package.products.append(.executable(name: "hummingbird-app", targets: ["HummingbirdApp"]))
package.targets.append(contentsOf: [
    .target(
        name: "WorkersHummingbird",
        dependencies: [
            "WorkersRuntime", "WorkersServer", "WorkersOAuthProvider",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: librarySettings
    ),
    .executableTarget(
        name: "HummingbirdApp",
        dependencies: [
            "WorkersHummingbird", "WorkersRuntime", "WorkersKV", "WorkersOAuthProvider",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Examples/HummingbirdApp",
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "WorkersHummingbirdTests",
        dependencies: [
            "WorkersHummingbird", "HummingbirdApp", "WorkersRuntime", "WorkersKV", "WorkersOAuthProvider",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ],
        swiftSettings: swiftSettings
    ),
])

// Metrics (docs/operations.md): the provider and the server record through swift-metrics' API; only WorkersServer
// links swift-prometheus, which backs the opt-in scrape listener (`serve --metrics-listen`).
package.dependencies.append(contentsOf: [
    .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
])
package.targets.first { $0.name == "WorkersOAuthProvider" }?.dependencies.append(
    .product(name: "Metrics", package: "swift-metrics")
)
package.targets.first { $0.name == "WorkersServer" }?.dependencies.append(contentsOf: [
    .product(name: "Metrics", package: "swift-metrics"),
    .product(name: "Prometheus", package: "swift-prometheus"),
])

// OAuth resource server (issue 17): a RequestGuard for Swift servers that trust an authorization server they do not
// share a store with. RFC 9068 JWT access tokens verified offline against the AS's JWK Set (WorkersJWKS, shared with
// WorkersAccess), opaque tokens (and props) through RFC 7662 introspection, RFC 9728 metadata. The `notes-mcp`
// example is a second MCP server behind it; `resource-server-benchmark` measures it (Benchmarks/run-resource-server.sh).
package.products.append(contentsOf: [
    .library(name: "WorkersOAuthResourceServer", targets: ["WorkersOAuthResourceServer"]),
    .executable(name: "notes-mcp", targets: ["NotesMCP"]),
    .executable(name: "resource-server-benchmark", targets: ["ResourceServerBenchmark"]),
])
package.targets.append(contentsOf: [
    .target(
        name: "WorkersOAuthResourceServer",
        dependencies: [
            "WorkersRuntime",
            "WorkersJWKS",
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: librarySettings
    ),
    .executableTarget(
        name: "NotesMCP",
        dependencies: [
            "WorkersRuntime", "WorkersServer", "WorkersKV", "WorkersMCP", "WorkersOAuthResourceServer",
            .product(name: "MCP", package: "swift-sdk"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ],
        path: "Examples/NotesMCP",
        exclude: ["wrangler.toml"],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "ResourceServerBenchmark",
        dependencies: [
            "WorkersRuntime", "WorkersServer", "WorkersOAuthResourceServer",
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ],
        path: "Benchmarks/ResourceServerBenchmark",
        swiftSettings: swiftSettings
    ),
    .testTarget(
        name: "WorkersOAuthResourceServerTests",
        dependencies: [
            "WorkersOAuthResourceServer", "WorkersRuntime", "WorkersServer", "WorkersTesting",
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ],
        swiftSettings: swiftSettings
    ),
])
package.targets.first { $0.name == "ExamplesTests" }?.dependencies += ["NotesMCP", "WorkersOAuthResourceServer"]
// The stand-in authorization server (RFC 8414 metadata, JWK Set, RFC 7662 introspection, RFC 9068 JWTs signed with
// jwt-kit) that resource servers are tested against.
package.targets.first { $0.name == "WorkersTesting" }?.dependencies += [
    .product(name: "JWTKit", package: "jwt-kit"),
    .product(name: "CryptoExtras", package: "swift-crypto"),
]
