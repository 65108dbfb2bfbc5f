import HTTPTypes

/// Admits requests that carry one of a set of static bearer tokens: the simplest protection for a team tool.
///
/// - Tokens come from secrets (resolved from `env` on every request) or are given directly; list two secrets to
///   rotate (old and new both accepted until the old one is removed).
/// - The `Bearer` scheme is matched case-insensitively; the token must be a single RFC 6750 `token68` (no spaces, no
///   trailing junk).
/// - Every configured token is compared in constant time (no early exit), so timing reveals nothing.
/// - Missing or wrong credentials get `401` with `WWW-Authenticate: Bearer` and a JSON error; tokens are never logged.
///
/// ```swift
/// let api = FetchHandler { request, env, ctx in ... }
///     .guarded(by: BearerTokenGuard(secretNames: ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"]))
/// ```
public struct BearerTokenGuard: RequestGuard {
    private enum Source: Sendable {
        case secrets([String])
        case tokens([String])
    }

    private let source: Source
    /// The realm in the `WWW-Authenticate` challenge.
    public let realm: String

    /// Accepts the values of the named secrets (names whose secret is unset or empty are skipped).
    public init(secretNames: [String], realm: String = "worker") {
        source = .secrets(secretNames)
        self.realm = realm
    }

    /// Accepts the given tokens (empty strings are ignored).
    public init(tokens: [String], realm: String = "worker") {
        source = .tokens(tokens)
        self.realm = realm
    }

    /// The tokens this guard accepts in `env`.
    public func acceptedTokens(in env: Env) -> [(name: String, token: String)] {
        switch source {
        case .secrets(let names):
            return names.compactMap { name in env.string(name).flatMap { $0.isEmpty ? nil : (name, $0) } }
        case .tokens(let tokens):
            return tokens.enumerated().compactMap { $1.isEmpty ? nil : ("token\($0)", $1) }
        }
    }

    public func check(_ request: Request, env: Env) async throws -> GuardDecision {
        let presented: String
        switch BearerCredential.parse(request.headers, alphabet: .token68) {
        case .absent: return .deny(challenge(error: nil, description: "Missing bearer token"))
        case .notBearer, .empty, .malformed: return .deny(challenge(error: "invalid_request", description: "Malformed Authorization header"))
        case .token(let token): presented = token
        }
        var matched: String?
        for (name, token) in acceptedTokens(in: env) where SecureCompare.equals(presented, token) {
            matched = matched ?? name
        }
        guard let matched else {
            return .deny(challenge(error: "invalid_token", description: "Invalid bearer token"))
        }
        return .allow(props: ["method": "bearer_token", "token": .string(matched)])
    }

    /// The token of a `Bearer` credential (scheme case-insensitive), or `nil` when it is not exactly one token68.
    public static func bearerToken(from header: String) -> String? {
        BearerCredential.parse(header, alphabet: .token68).token
    }

    private func challenge(error: String?, description: String) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = BearerChallenge(realm: realm, error: error).headerValue
        return .oauthError(error ?? "unauthorized", description: description, status: .unauthorized, headers: headers)
    }
}
