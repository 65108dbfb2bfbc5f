import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersKVPostgres
import WorkersOAuthProvider
import WorkersRuntime

/// The provider configuration shared by `serve` and `mint`: both must agree on the origin (the canonical resource
/// every token is bound to), the client and the store.
struct BenchmarkSetup {
    /// The loopback port the server listens on; part of the issuer and the resource.
    let port: Int
    /// The store: a directory holding `OAUTH_KV.sqlite`, or a `postgres://` URL (namespace `OAUTH_KV` in it).
    let store: String
    /// The port `serve` listens on when it is not ``port`` (behind a proxy on ``port``).
    var listenPort: Int?
    /// ``WorkersOAuthProvider/OAuthProvider/Options/verifiedTokenCacheTTL`` in milliseconds, if set.
    var verifiedTokenCacheMilliseconds: Int?
    /// `serve` answers Prometheus scrapes on 127.0.0.1 at this port (``WorkersServer/WorkerServer/Configuration/metricsListen``).
    var metricsPort: Int?
    /// `/mcp` gets JWT access tokens (RFC 9068) instead of opaque ones.
    var jwt = false

    /// The secret the JWT signing keys are encrypted under.
    static let signingSecret = "oauth-benchmark-signing-key-encryption-secret"

    init(port: Int, store: String) {
        self.port = port
        self.store = store
    }

    static let clientID = "bench-client"
    static let clientSecret = "bench-client-secret-0123456789abcdef"
    static let redirectURI = "https://client.example/callback"
    static let scope = ["mcp:read"]

    /// `http://127.0.0.1:PORT` (plain http is allowed on loopback).
    var origin: String { "http://127.0.0.1:\(port)" }
    /// The canonical resource: every token's audience, checked on each API call.
    var resource: String { origin + "/mcp" }

    /// Whether ``store`` names a PostgreSQL database rather than a directory.
    var isPostgres: Bool { store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") }

    /// The KV namespace: SQLiteKV on a real file, or PostgresKV, each in its default configuration.
    func openKV() throws -> BenchmarkKV {
        if isPostgres {
            let kv = try PostgresKV(url: store, namespace: "OAUTH_KV")
            return BenchmarkKV(namespace: kv, close: { await kv.close() })
        }
        let kv = try SQLiteKV(path: URL(fileURLWithPath: store).appendingPathComponent("OAUTH_KV.sqlite"))
        return BenchmarkKV(namespace: kv, close: { try kv.close() })
    }

    /// The environment the provider runs in.
    func env(kv: BenchmarkKV) -> Env {
        Env(secrets: ["SIGNING_KEY_ENCRYPTION_KEY": Self.signingSecret], bindings: ["OAUTH_KV": kv.namespace])
    }

    /// The provider: `/mcp` answers like the runtime benchmark's bare "hello", plus the grant's user from the
    /// decrypted props (`hello alice`), so the difference between the two runs is the provider's work;
    /// `/mcp/json` answers the same as a small JSON document encoded with `JSONEncoder`, as a typical handler
    /// would; `/token` is the token endpoint, `/introspect` the introspection endpoint (no rate limit); everything else
    /// is a 404.
    func provider(logger: Logger) throws -> OAuthProvider {
        let api = FetchHandler { request, _, ctx in
            let user = ctx.props?["login"]?.stringValue ?? ""
            if request.path == "/mcp/json" { return try Response.json(APIAnswer(ok: true, user: user)) }
            return Response.text("hello \(user)")
        }
        var options = OAuthProvider.Options(
            authorizeEndpoint: "/authorize",
            tokenEndpoint: "/token",
            introspectionEndpoint: "/introspect",
            scopesSupported: Self.scope,
            resourceMetadata: ResourceMetadata(resource: resource, scopesSupported: Self.scope),
            // One client drives thousands of token requests a second here: the per-client limit is for
            // production, not for measuring the endpoint.
            tokenRateLimit: nil,
            introspectionRateLimit: nil,
            // The load generator presents each refresh token of its pool again and again: with an hour's grace
            // every repeat is a retry, which does the work of a rotation (one grant read, one grant write, one
            // token write), instead of reuse, which would revoke the pool.
            refreshTokenReuseGrace: 3_600,
            logger: logger
        )
        options.verifiedTokenCacheTTL = verifiedTokenCacheMilliseconds.map { .milliseconds($0) }
        options.accessTokenFormat = jwt ? .jwt : .opaque
        return try OAuthProvider(
            apiRoute: ["/mcp"],
            apiHandler: api,
            defaultHandler: FetchHandler { _, _, _ in Response.text("not found", status: .notFound) },
            options: options
        )
    }
}

/// The JSON answer of `/mcp/json`.
struct APIAnswer: Encodable {
    let ok: Bool
    let user: String
}

/// An open store and how to close it.
struct BenchmarkKV {
    let namespace: any KVNamespace
    let close: @Sendable () async throws -> Void
}
