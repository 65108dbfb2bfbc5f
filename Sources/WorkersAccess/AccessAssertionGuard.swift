public import Foundation
import HTTPTypes
import JWTKit
public import Logging
import WorkersJWKS
public import WorkersRuntime

/// Admits requests that carry a valid JWT signed by an identity-aware proxy in front of the server: Cloudflare Access
/// by default, or any proxy that adds a signed JWT header (Google IAP, Pomerium, oauth2-proxy).
///
/// The proxy does the login (SSO, device posture, service tokens); the guard makes sure a request really came
/// through it. It reads the assertion from ``Configuration/headerName`` (falling back to the
/// ``Configuration/cookieName`` cookie) and checks, with jwt-kit:
/// - the signature, by the key the header's `kid` names in the proxy's JWK Set, with the header's `alg` on the
///   allow-list and matching that key's type (`none` and `HS*` are never accepted);
/// - `iss` equal to ``Configuration/issuer``, `aud` (string or array) naming one of ``Configuration/audiences``;
/// - `exp` (required) in the future, `nbf` and `iat` not in the future, each with ``Configuration/clockSkew``.
///
/// On success `ctx.props` holds the identity: `method` (`"access_assertion"`), `iss`, and whichever of `email`,
/// `sub`, `common_name` (Access service tokens), `type` and `identity_nonce` the assertion carries.
///
/// Denials: no assertion -> `401`; an assertion that fails any check -> `403` (as Access itself answers); no key set
/// could ever be fetched -> `503`. Bodies are JSON `{error, error_description}` with a short, fixed description; the
/// detailed reason is only logged.
///
/// ```swift
/// let accessGuard = try AccessAssertionGuard.cloudflareAccess(
///     teamDomain: "myteam.cloudflareaccess.com",
///     audience: "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2"
/// )
/// let api = FetchHandler { request, env, ctx in
///     Response.text("Hello, \(ctx.props?["email"]?.stringValue ?? "service")")
/// }.guarded(by: accessGuard)
/// ```
public struct AccessAssertionGuard: RequestGuard {
    /// The settings this guard checks against.
    public let configuration: Configuration
    /// The fetcher for the key set; `nil` uses `env.fetcher` of the request being checked.
    public let fetcher: (any Fetcher)?
    private let cache: JWKSCache
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// Creates a guard.
    /// - Parameters:
    ///   - configuration: Header, key set, issuer, audiences and limits.
    ///   - fetcher: Fetches the key set; by default `env.fetcher` at check time.
    ///   - now: The clock for time claims and the key cache.
    ///   - logger: Where denial reasons and key set failures are logged.
    /// - Throws: ``AccessConfigurationError`` when the configuration is invalid (see ``Configuration/validate()``).
    public init(
        configuration: Configuration,
        fetcher: (any Fetcher)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "workers.access")
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.fetcher = fetcher
        self.now = now
        self.logger = logger
        cache = JWKSCache(
            url: configuration.jwksURL,
            algorithms: configuration.algorithms.map(\.jws),
            refreshCooldown: configuration.refreshCooldown,
            ttl: configuration.cacheTTL,
            maxSize: configuration.maxJWKSSize,
            now: now,
            logger: logger
        )
    }

    /// A guard for a Cloudflare Access application.
    /// - Parameters:
    ///   - teamDomain: `myteam.cloudflareaccess.com`; keys come from `https://<team>/cdn-cgi/access/certs` and the
    ///     issuer is `https://<team>`.
    ///   - audience: The application's AUD tag.
    ///   - fetcher: Fetches the key set; by default `env.fetcher` at check time.
    ///   - now: The clock.
    ///   - logger: Where denial reasons are logged.
    public static func cloudflareAccess(
        teamDomain: String,
        audience: String,
        fetcher: (any Fetcher)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "workers.access")
    ) throws -> AccessAssertionGuard {
        try AccessAssertionGuard(
            configuration: .cloudflareAccess(teamDomain: teamDomain, audiences: [audience]),
            fetcher: fetcher,
            now: now,
            logger: logger
        )
    }

    /// Admits `request` with the assertion's identity as props, or denies it (401 missing, 403 invalid, 503 no keys).
    /// - Parameters:
    ///   - request: The incoming request.
    ///   - env: Supplies `env.fetcher` for the key set when the guard was built without a fetcher.
    public func check(_ request: Request, env: Env) async throws -> GuardDecision {
        guard let assertion = assertion(in: request) else {
            return .deny(Self.denial(status: .unauthorized, error: "unauthorized", description: "Missing access assertion"))
        }
        switch await verify(assertion, fetcher: fetcher ?? env.fetcher) {
        case .success(let claims):
            return .allow(props: Self.props(from: claims))
        case .failure(let failure):
            // The reason quotes the token (kid, alg, iss, aud) and the path is the client's: escape both (CWE-117).
            logger.notice(
                "Access assertion rejected",
                metadata: ["reason": "\(failure.reason.escapedForLog)", "path": "\(request.path.escapedForLog)"]
            )
            if failure.isUnavailable {
                return .deny(
                    Self.denial(
                        status: .serviceUnavailable,
                        error: "temporarily_unavailable",
                        description: "Signing keys unavailable"
                    )
                )
            }
            return .deny(Self.denial(status: .forbidden, error: "forbidden", description: "Invalid access assertion"))
        }
    }

    /// The assertion in `request`: the configured header, else the configured cookie; `nil` when neither is present
    /// and non-empty. When the header is `Authorization` (oauth2-proxy's `--pass-authorization-header`), the token is
    /// taken from its `Bearer` credential.
    public func assertion(in request: Request) -> String? {
        if let value = request.header(configuration.headerName)?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            if configuration.headerName.lowercased() == "authorization" {
                return BearerTokenGuard.bearerToken(from: value)
            }
            return value
        }
        if let cookieName = configuration.cookieName, let value = request.cookies[cookieName], !value.isEmpty {
            return value
        }
        return nil
    }

    /// Verifies `assertion`, returning the claims or why it was rejected.
    func verify(_ assertion: String, fetcher: any Fetcher) async -> Result<AccessClaims, AccessRejection> {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(assertion.utf8), as: AccessClaims.self).header
        } catch {
            return .failure(AccessRejection("malformed assertion: \(error)"))
        }
        guard let alg = header.alg, let algorithm = configuration.algorithms.first(where: { $0.name == alg }) else {
            return .failure(AccessRejection("algorithm \(header.alg ?? "(none)") not allowed"))
        }
        guard header.crit?.isEmpty ?? true else {
            return .failure(AccessRejection("unsupported critical header parameters \(header.crit ?? [])"))
        }
        guard let kid = header.kid, !kid.isEmpty else { return .failure(AccessRejection("no kid in header")) }
        let key: JWKSCache.Key
        switch await cache.key(for: kid, fetcher: fetcher) {
        case .key(let found): key = found
        case .unknownKeyID: return .failure(AccessRejection("unknown kid \(kid)"))
        case .unavailable: return .failure(AccessRejection("no signing keys could be fetched", isUnavailable: true))
        }
        guard key.algorithm == algorithm.jws else {
            return .failure(AccessRejection("algorithm \(alg) does not match key \(kid) (\(key.algorithm))"))
        }
        let claims: AccessClaims
        do {
            claims = try await key.keys.verify(assertion, as: AccessClaims.self)
        } catch {
            return .failure(AccessRejection("signature: \(error)"))
        }
        if let problem = problem(with: claims) { return .failure(AccessRejection(problem)) }
        return .success(claims)
    }

    /// What is wrong with verified `claims` (issuer, audience, time), or `nil`.
    func problem(with claims: AccessClaims) -> String? {
        let current = now()
        let skew = configuration.clockSkew
        guard let issuer = claims.issuer?.value, issuer == configuration.issuer else {
            return "issuer \(claims.issuer?.value ?? "(none)") is not \(configuration.issuer)"
        }
        guard let audience = claims.audience?.value, audience.contains(where: configuration.audiences.contains) else {
            return "audience \(claims.audience?.value ?? []) names none of the accepted audiences"
        }
        guard let expiration = claims.expiration else { return "no exp" }
        do {
            try expiration.verifyNotExpired(currentDate: current.addingTimeInterval(-skew))
        } catch {
            return "expired at \(expiration.value)"
        }
        if let notBefore = claims.notBefore, notBefore.value > current.addingTimeInterval(skew) {
            return "not valid before \(notBefore.value)"
        }
        if let issuedAt = claims.issuedAt, issuedAt.value > current.addingTimeInterval(skew) {
            return "issued in the future (\(issuedAt.value))"
        }
        return nil
    }

    static func props(from claims: AccessClaims) -> JSONValue {
        var props: [String: JSONValue] = ["method": "access_assertion"]
        let fields: [(String, String?)] = [
            ("iss", claims.issuer?.value),
            ("email", claims.email),
            ("sub", claims.subject?.value),
            ("common_name", claims.commonName),
            ("type", claims.type),
            ("identity_nonce", claims.identityNonce),
        ]
        for (name, value) in fields {
            if let value, !value.isEmpty { props[name] = .string(value) }
        }
        return .object(props)
    }

    static func denial(status: HTTPResponse.Status, error: String, description: String) -> Response {
        .oauthError(error, description: description, status: status)
    }
}

/// Why an assertion was rejected; logged (escaped: it quotes token content), never sent to the client.
struct AccessRejection: Error, CustomStringConvertible {
    let reason: String
    let isUnavailable: Bool

    init(_ reason: String, isUnavailable: Bool = false) {
        self.reason = reason
        self.isUnavailable = isUnavailable
    }

    var description: String { reason }
}
