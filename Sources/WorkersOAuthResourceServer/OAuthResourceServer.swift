public import Foundation
import HTTPTypes
public import Logging
public import WorkersRuntime

/// Admits requests carrying an access token issued by one trusted OAuth authorization server for this resource:
/// the guard of a resource server that does not share the authorization server's store.
///
/// - **JWT access tokens** (RFC 9068, three base64url segments) are verified offline: `alg` on the allow-list and
///   the key's own, `typ` `at+jwt`, the signature by the key `kid` names in the AS's JWK Set (cached, refetched on
///   rotation at most once per ``Configuration/refreshCooldown``), `iss` equal to ``Configuration/issuer``, `aud`
///   naming ``Configuration/resource``, `exp` in the future and `iat` not (with ``Configuration/clockSkew``), `sub`
///   and `client_id` present. A verified JWT is remembered by its SHA-256 until its `exp` (while its `kid` stays in
///   the key set), so repeat calls cost a hash and a lock.
/// - **Opaque tokens** go to the AS's RFC 7662 introspection endpoint (as ``Configuration/clientID``, with
///   `client_secret_basic`); the answer is checked the same way and reused for ``Configuration/introspectionCacheTTL``.
/// - **Props**: a JWT carries none; with ``PropsSource/introspection`` each JWT is also introspected (cached) to
///   read its grant's props into `ctx.props`, which also makes a revoked JWT stop within the cache TTL. Otherwise a
///   JWT stays valid until its `exp` even when its grant is revoked.
///
/// On success the handler sees the token in `ctx.accessToken` (client, scopes, `sub`, resource, `exp`). Denials:
/// no token -> `401` with `WWW-Authenticate: Bearer realm="OAuth", resource_metadata="…"`; a bad token -> the same
/// with `error="invalid_token"`; the AS unreachable -> `503 temporarily_unavailable`; a handler's
/// ``InsufficientScopeError`` -> `403 insufficient_scope`. Reasons are logged (escaped), never sent.
///
/// ```swift
/// let resourceServer = try OAuthResourceServer(configuration: .init(
///     resource: "https://notes.example.com/mcp",
///     issuer: "https://as.example.com",
///     scopesSupported: ["notes:read", "notes:write"]
/// ))
/// let worker = resourceServer.protect(mcpHandler, at: ["/mcp"])   // + /.well-known/oauth-protected-resource/mcp
/// ```
public struct OAuthResourceServer: RequestGuard {
    /// The settings tokens are checked against.
    public let configuration: Configuration
    /// The fetcher for metadata, keys and introspection; `nil` uses `env.fetcher` of the request being checked.
    public let fetcher: (any Fetcher)?
    let endpoints: AuthorizationServerEndpoints
    let verified: TokenCache
    let introspected: TokenCache
    let rules: TokenClaimRules
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates a resource server guard.
    /// - Parameters:
    ///   - configuration: The resource, the trusted issuer and the limits.
    ///   - fetcher: Fetches from the authorization server; by default `env.fetcher` at check time.
    ///   - now: The clock for time claims and caches.
    ///   - logger: Where rejections and outages are logged.
    /// - Throws: ``OAuthResourceServerConfigurationError`` when the configuration is invalid.
    public init(
        configuration: Configuration,
        fetcher: (any Fetcher)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "workers.resource-server")
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.fetcher = fetcher
        self.now = now
        self.logger = logger
        endpoints = AuthorizationServerEndpoints(configuration: configuration, now: now, logger: logger)
        verified = TokenCache(capacity: configuration.verifiedCacheCapacity)
        introspected = TokenCache(capacity: configuration.verifiedCacheCapacity)
        rules = TokenClaimRules(issuer: configuration.issuer, resource: configuration.resource, clockSkew: configuration.clockSkew)
    }

    /// Admits `request` with its token's description (and props, when configured), or denies it.
    /// - Parameters:
    ///   - request: The incoming request.
    ///   - env: Supplies `env.fetcher` when the guard was built without a fetcher.
    public func check(_ request: Request, env: Env) async throws -> GuardDecision {
        let token: String
        switch BearerCredential.parse(request.headers, alphabet: .any) {
        case .absent, .notBearer: return .deny(missingTokenResponse())
        case .empty, .malformed: return .deny(invalidTokenResponse())
        case .token(let presented): token = presented
        }
        switch await authenticate(token, fetcher: fetcher ?? env.fetcher) {
        case .success(let admitted):
            return .allow(props: admitted.props, token: admitted.token)
        case .failure(let rejection):
            // The reason quotes the token's claims and the path is the client's: escape both (CWE-117).
            let metadata: Logger.Metadata = ["reason": "\(rejection.reason.escapedForLog)", "path": "\(request.path.escapedForLog)"]
            if rejection.isUnavailable {
                logger.warning("Access token not checked: authorization server unavailable", metadata: metadata)
                return .deny(unavailableResponse())
            }
            logger.notice("Access token rejected", metadata: metadata)
            return .deny(invalidTokenResponse())
        }
    }

    /// `403` with `error="insufficient_scope"`, the scopes the operation needs and this resource's metadata URL.
    public func insufficientScope(_ request: Request, _ error: InsufficientScopeError) async -> Response {
        error.response(challenge: BearerChallenge(realm: configuration.realm, resourceMetadata: resourceMetadataURL))
    }

    /// What an admitted token gives the handler.
    struct Admitted: Sendable {
        let token: AccessTokenInfo
        let props: JSONValue?
    }

    /// The longest token considered (a JWT from this contract is well under 2 KiB).
    static let maxTokenLength = 8 * 1024

    /// Checks `token` by its shape: a JWT offline (then props by introspection when configured), anything else by
    /// introspection.
    func authenticate(_ token: String, fetcher: any Fetcher) async -> Result<Admitted, TokenRejection> {
        guard token.utf8.count <= Self.maxTokenLength else { return .failure(.invalid("token longer than \(Self.maxTokenLength) bytes")) }
        do {
            guard Self.looksLikeJWT(token) else {
                let (info, props) = try await introspectActive(token, fetcher: fetcher)
                return .success(Admitted(token: info, props: props))
            }
            let info = try await verifiedJWT(token, fetcher: fetcher)
            guard configuration.propsSource == .introspection else { return .success(Admitted(token: info, props: nil)) }
            let (_, props) = try await introspectActive(token, fetcher: fetcher)
            return .success(Admitted(token: info, props: props))
        } catch {
            return .failure(error)
        }
    }

    /// Three non-empty base64url segments.
    static func looksLikeJWT(_ token: String) -> Bool {
        var dots = 0
        var segmentLength = 0
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                guard segmentLength > 0 else { return false }
                dots += 1
                segmentLength = 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                segmentLength += 1
            default:
                return false
            }
        }
        return dots == 2 && segmentLength > 0
    }
}
