import ArgumentParser
import Foundation
import Logging
import WorkersKV
import WorkersKVPostgres
import WorkersConformance
import WorkersOAuthProvider
import WorkersRuntime
import WorkersServer

/// `conformance-fixture`: the OAuth provider configured for black-box conformance tests (see `ConformanceProfile`).
///
/// It listens on 127.0.0.1 but every URL it emits uses `--origin`, as if it sat behind a TLS-terminating proxy.
/// Test-only: `POST /__fixture/clients` lets anyone register clients.
@main
struct ConformanceFixture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance-fixture",
        abstract: "Serve the OAuth provider configured for conformance tests."
    )

    @Option(help: "Port to listen on (127.0.0.1).") var port: Int = 8788
    @Option(help: "The public origin every URL uses.") var origin: String = "https://mcp.example.com"
    @Flag(help: "Bind every token to <origin>/mcp (RFC 8707 canonical resource).") var canonicalResource = false
    @Flag(help: "Disable dynamic client registration.") var noDcr = false
    @Option(help: "Comma-separated resource scopes for RFC 9728 metadata.") var resourceScopes: String = "mcp:read"
    @Option(help: "Directory for the KV store (SQLite file OAUTH_KV.sqlite, or one file per key with --kv-backend file).")
    var kvDir: String?
    @Option(help: "KV backend for --kv-dir: sqlite or file.") var kvBackend: String = "sqlite"
    @Option(help: ArgumentHelp("Keep the KV store in PostgreSQL instead of --kv-dir.", valueName: "URL"))
    var kvPostgres: String?
    @Option(
        help: ArgumentHelp(
            "The KV namespace in PostgreSQL (processes that share one see the same store; separate suites use separate names).",
            valueName: "NAME"))
    var kvNamespace: String = "OAUTH_KV"
    @Flag(help: "Apply the provider's default registration and token rate limits (off: suites register in bursts).")
    var rateLimits = false
    @Flag(help: "Turn Client ID Metadata Documents off (on by default).") var noCimd = false
    @Option(help: ArgumentHelp("Reuse a verified access token for up to MS milliseconds (at most 1000; default: never).", valueName: "MS"))
    var verifiedTokenCacheMs: Int?
    @Option(
        help: ArgumentHelp(
            "Send CIMD fetches for HOST:PORT to ADDRESS:ADDRESSPORT (curl's --connect-to; repeatable). Only hosts named this way may resolve to loopback.",
            valueName: "HOST:PORT:ADDRESS:ADDRESSPORT"))
    var cimdConnectTo: [String] = []
    @Option(help: ArgumentHelp("A PEM CA bundle trusted for CIMD fetches on top of the system's.", valueName: "PATH"))
    var cimdCaFile: String?
    @Flag(help: "Enable the client_credentials grant for pre-registered confidential clients.") var clientCredentials = false
    @Option(
        help: ArgumentHelp(
            "Access tokens for /mcp: opaque (default) or jwt (RFC 9068, keys at /.well-known/jwks.json, encrypted under the SIGNING_KEY_ENCRYPTION_KEY environment variable, or a key made for this process when it is unset).",
            valueName: "FORMAT"))
    var accessTokenFormat: String = "opaque"
    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics (docs/operations.md).", valueName: "HOST:PORT"))
    var metricsListen: String?

    func run() async throws {
        var logger = Logger(label: "conformance-fixture")
        logger.logLevel = .warning
        let kv = try openStore()
        let publicFetcher = try PublicFetcher(
            connectTo: cimdConnectTo.map { rule in
                do { return try ConnectToRule(parsing: rule) } catch { throw ValidationError("--cimd-connect-to: \(error)") }
            },
            additionalTrustRoots: cimdCaFile.map { path in
                do { return try OutboundCABundle(pemFile: path).trustRoots } catch { throw ValidationError("--cimd-ca-file \(error)") }
            } ?? []
        )
        let worker = try OAuthProvider.conformanceFixture(
            origin: origin,
            canonicalResource: canonicalResource,
            dynamicClientRegistration: !noDcr,
            resourceScopes: resourceScopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            rateLimits: rateLimits,
            clientIDMetadataDocuments: !noCimd,
            verifiedTokenCacheTTL: verifiedTokenCacheMs.map { .milliseconds(max(0, min($0, 1000))) },
            clientCredentials: clientCredentials,
            accessTokenFormat: try format()
        )
        let server = WorkerServer(
            worker: worker,
            env: Env(secrets: signingSecrets(), bindings: ["OAUTH_KV": kv], publicFetcher: publicFetcher),
            configuration: .init(
                host: "127.0.0.1", port: port, logRequests: false,
                metricsListen: try metricsListen.map { text in
                    guard let address = ListenAddress(parsing: text) else { throw ValidationError("--metrics-listen must be HOST:PORT") }
                    return address
                }
            ),
            logger: logger
        )
        try await server.run { port in
            FileHandle.standardOutput.write(Data("conformance-fixture listening on http://127.0.0.1:\(port) as \(origin)\n".utf8))
        }
    }

    /// `--access-token-format`.
    func format() throws -> AccessTokenFormat {
        guard ["opaque", "jwt"].contains(accessTokenFormat) else {
            throw ValidationError("--access-token-format must be opaque or jwt, got \(accessTokenFormat.escapedForLog)")
        }
        return AccessTokenFormat(rawValue: accessTokenFormat)
    }

    /// The secret JWT signing keys are encrypted under: `SIGNING_KEY_ENCRYPTION_KEY` from the environment, else (this
    /// is a test fixture) one made for this process, so keys it stores do not survive a restart.
    func signingSecrets() -> [String: String] {
        let name = "SIGNING_KEY_ENCRYPTION_KEY"
        let configured = ProcessInfo.processInfo.environment[name] ?? ""
        return [name: configured.isEmpty ? RandomToken.base64URL(byteCount: 32) : configured]
    }

    /// The store: PostgreSQL with --kv-postgres, else SQLite or files in --kv-dir.
    func openStore() throws -> any KVNamespace {
        switch (kvDir, kvPostgres) {
        case (nil, let url?):
            return try PostgresKV(url: url, namespace: kvNamespace, configuration: .init(sweepInterval: .seconds(60)))
        case (let path?, nil):
            guard let backend = KVBackend(rawValue: kvBackend), backend != .memory else {
                throw ValidationError("--kv-backend must be sqlite or file")
            }
            let directory = URL(fileURLWithPath: path, isDirectory: true)
            let location = backend == .sqlite ? directory.appendingPathComponent("OAUTH_KV.sqlite") : directory
            return try backend.open(binding: "OAUTH_KV", at: location, storageDirectory: directory)
        default:
            throw ValidationError("give exactly one of --kv-dir DIR and --kv-postgres URL")
        }
    }
}
