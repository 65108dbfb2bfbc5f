import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

extension OAuthProvider {
    /// Everything about the provider except its handlers. Every argument has the anchor's default.
    ///
    /// ```swift
    /// let options = OAuthProvider.Options(
    ///     authorizeEndpoint: "/authorize",
    ///     tokenEndpoint: "/oauth/token",
    ///     clientRegistrationEndpoint: "/oauth/register",
    ///     scopesSupported: ["mcp:read", "mcp:write"],
    ///     refreshTokenTTL: .seconds(7 * 86_400)
    /// )
    /// ```
    public struct Options: Sendable {
        /// The authorization endpoint (a path or URL); advertised only, the default handler serves it.
        public var authorizeEndpoint: String
        /// The token endpoint (a path or URL); it also serves revocation. Its origin is the issuer.
        public var tokenEndpoint: String
        /// Enables RFC 7591 dynamic client registration at this path or URL.
        public var clientRegistrationEndpoint: String?
        /// Scopes advertised in the authorization server metadata.
        public var scopesSupported: [String]?
        /// Protected resource metadata; its `resource` becomes the canonical audience of every token.
        public var resourceMetadata: ResourceMetadata?
        /// Access token lifetime in seconds (at least 60; 3600 by default).
        public var accessTokenTTL: Int
        /// Refresh token lifetime: 30 days by default, `.never`, or `.seconds(0)` for no refresh tokens.
        public var refreshTokenTTL: TokenLifetime
        /// Lifetime of dynamically registered clients: 90 days by default, or `.never`.
        public var clientRegistrationTTL: TokenLifetime
        /// Lifetime, in seconds, of a dynamically registered client until a user first completes an authorization
        /// for it (24 hours by default); it then gets the full ``clientRegistrationTTL``. Registrations nobody ever
        /// uses cannot pile up for 90 days.
        public var unusedClientRegistrationTTL: Int
        /// Caps on registration bodies and fields.
        public var registrationLimits: ClientRegistrationLimits
        /// Registrations admitted per source address (``WorkersRuntime/Request/clientAddress``), in this process;
        /// `nil` for none. Past it: `429` with `Retry-After`.
        public var registrationRateLimit: RateLimit?
        /// Token-endpoint requests admitted per client, in this process; `nil` for none. Past it: `429`
        /// `temporarily_unavailable` with `Retry-After`.
        public var tokenRateLimit: RateLimit?
        /// How long, in seconds, a refresh token stays usable after it was spent in a rotation, so that a client whose
        /// response was lost can retry with it (60 by default; `0`: never). Presenting a spent token after that is
        /// reuse (RFC 9700 §4.14.2) and revokes the grant with every token of it.
        public var refreshTokenReuseGrace: Int
        /// Accept the `plain` PKCE method (off: S256 only).
        public var allowPlainPKCE: Bool
        /// Refuse dynamic registration of public clients.
        public var disallowPublicClientRegistration: Bool
        /// Enable the RFC 8693 token exchange grant (a client trades its own access token for a narrower one).
        public var allowTokenExchangeGrant: Bool
        /// The KV binding holding clients, grants and tokens.
        public var kvBinding: String
        /// Validates bearer tokens not issued here: return props, `nil` for a plain 401, or throw
        /// ``ExternalTokenError`` for a structured 401/403.
        public var resolveExternalToken: (@Sendable (ExternalTokenInput) async throws -> ExternalTokenResult?)?
        /// Rewrites props, scope or lifetimes when tokens are issued; throw ``OAuthError`` to refuse.
        public var tokenExchangeCallback: (@Sendable (TokenExchangeInput) async throws -> TokenExchangeResult?)?
        /// A registration policy: return an ``OAuthError`` to refuse a registration, `nil` to allow it.
        public var clientRegistrationCallback: (@Sendable (ClientRegistrationInput) async throws -> OAuthError?)?
        /// Observes every error response; return a response to replace it.
        public var onError: (@Sendable (OAuthErrorEvent) async -> Response?)?
        /// The clock (inject one to test expiry without sleeping).
        public var now: @Sendable () -> Date
        /// Where error responses and unexpected failures are logged.
        public var logger: Logger

        /// Creates options.
        /// - Parameters:
        ///   - authorizeEndpoint: The authorization endpoint path or URL.
        ///   - tokenEndpoint: The token endpoint path or URL.
        ///   - clientRegistrationEndpoint: The registration endpoint, `nil` to disable registration.
        ///   - scopesSupported: Scopes advertised in metadata.
        ///   - resourceMetadata: RFC 9728 metadata.
        ///   - accessTokenTTL: Access token lifetime in seconds.
        ///   - refreshTokenTTL: Refresh token lifetime.
        ///   - clientRegistrationTTL: Lifetime of registered clients.
        ///   - unusedClientRegistrationTTL: Lifetime of a registered client no user has authorized yet.
        ///   - registrationLimits: Caps on registration bodies and fields.
        ///   - registrationRateLimit: Registrations per source address.
        ///   - tokenRateLimit: Token requests per client.
        ///   - refreshTokenReuseGrace: Seconds a spent refresh token stays usable for a retry.
        ///   - allowPlainPKCE: Accept `plain` PKCE.
        ///   - disallowPublicClientRegistration: Refuse public clients at registration.
        ///   - allowTokenExchangeGrant: Enable RFC 8693 token exchange.
        ///   - kvBinding: The KV binding name.
        ///   - resolveExternalToken: External bearer validation.
        ///   - tokenExchangeCallback: Token issuance hook.
        ///   - clientRegistrationCallback: Registration policy.
        ///   - onError: Error observer.
        ///   - now: The clock.
        ///   - logger: The logger.
        public init(
            authorizeEndpoint: String = "/authorize",
            tokenEndpoint: String = "/token",
            clientRegistrationEndpoint: String? = nil,
            scopesSupported: [String]? = nil,
            resourceMetadata: ResourceMetadata? = nil,
            accessTokenTTL: Int = 3600,
            refreshTokenTTL: TokenLifetime = .default,
            clientRegistrationTTL: TokenLifetime = .default,
            unusedClientRegistrationTTL: Int = 86_400,
            registrationLimits: ClientRegistrationLimits = ClientRegistrationLimits(),
            registrationRateLimit: RateLimit? = .registrationDefault,
            tokenRateLimit: RateLimit? = .tokenDefault,
            refreshTokenReuseGrace: Int = 60,
            allowPlainPKCE: Bool = false,
            disallowPublicClientRegistration: Bool = false,
            allowTokenExchangeGrant: Bool = false,
            kvBinding: String = "OAUTH_KV",
            resolveExternalToken: (@Sendable (ExternalTokenInput) async throws -> ExternalTokenResult?)? = nil,
            tokenExchangeCallback: (@Sendable (TokenExchangeInput) async throws -> TokenExchangeResult?)? = nil,
            clientRegistrationCallback: (@Sendable (ClientRegistrationInput) async throws -> OAuthError?)? = nil,
            onError: (@Sendable (OAuthErrorEvent) async -> Response?)? = nil,
            now: @escaping @Sendable () -> Date = Date.init,
            logger: Logger = Logger(label: "workers.oauth")
        ) {
            self.authorizeEndpoint = authorizeEndpoint
            self.tokenEndpoint = tokenEndpoint
            self.clientRegistrationEndpoint = clientRegistrationEndpoint
            self.scopesSupported = scopesSupported
            self.resourceMetadata = resourceMetadata
            self.accessTokenTTL = accessTokenTTL
            self.refreshTokenTTL = refreshTokenTTL
            self.clientRegistrationTTL = clientRegistrationTTL
            self.unusedClientRegistrationTTL = unusedClientRegistrationTTL
            self.registrationLimits = registrationLimits
            self.registrationRateLimit = registrationRateLimit
            self.tokenRateLimit = tokenRateLimit
            self.refreshTokenReuseGrace = refreshTokenReuseGrace
            self.allowPlainPKCE = allowPlainPKCE
            self.disallowPublicClientRegistration = disallowPublicClientRegistration
            self.allowTokenExchangeGrant = allowTokenExchangeGrant
            self.kvBinding = kvBinding
            self.resolveExternalToken = resolveExternalToken
            self.tokenExchangeCallback = tokenExchangeCallback
            self.clientRegistrationCallback = clientRegistrationCallback
            self.onError = onError
            self.now = now
            self.logger = logger
        }

        /// The refresh token lifetime in seconds: `nil` never expires, `0` disables refresh tokens.
        var refreshTokenSeconds: Int? { refreshTokenTTL.resolved(default: 2_592_000) }
        /// The registered-client lifetime in seconds, `nil` for never.
        var clientRegistrationSeconds: Int? { clientRegistrationTTL.resolved(default: 7_776_000) }
        /// The canonical resource for a request that arrived at `origin`: the configured URI, or a configured path
        /// resolved against `origin` (evaluated only then: API requests pass here); `nil` when none is configured.
        func canonicalResource(at origin: @autoclosure () -> String) -> String? {
            guard let resource = resourceMetadata?.resource else { return nil }
            return resource.hasPrefix("/") ? origin() + resource : resource
        }
        /// PKCE methods offered.
        var challengeMethods: [CodeChallengeMethod] { allowPlainPKCE ? [.plain, .s256] : [.s256] }

        /// Checks the options; the error names the offending option.
        func validate() throws(OAuthProviderError) {
            for (name, value) in [("authorizeEndpoint", authorizeEndpoint), ("tokenEndpoint", tokenEndpoint)]
                + (clientRegistrationEndpoint.map { [("clientRegistrationEndpoint", $0)] } ?? [])
            {
                try Self.validateEndpoint(name, value)
            }
            guard accessTokenTTL >= 60 else {
                throw OAuthProviderError("accessTokenTTL must be an integer of at least 60 seconds, got \(accessTokenTTL)")
            }
            if case .seconds(let seconds) = refreshTokenTTL, seconds != 0, seconds < 60 {
                throw OAuthProviderError("refreshTokenTTL must be 0 (disabled) or at least 60 seconds, got \(seconds)")
            }
            if case .seconds(let seconds) = clientRegistrationTTL, seconds < 60 {
                throw OAuthProviderError("clientRegistrationTTL must be at least 60 seconds, got \(seconds)")
            }
            guard unusedClientRegistrationTTL >= 60 else {
                throw OAuthProviderError("unusedClientRegistrationTTL must be at least 60 seconds, got \(unusedClientRegistrationTTL)")
            }
            for (name, rate) in [("registrationRateLimit", registrationRateLimit), ("tokenRateLimit", tokenRateLimit)] {
                if let rate, rate.requestsPerMinute < 1 || rate.burst < 1 {
                    throw OAuthProviderError("\(name) needs requestsPerMinute and burst of at least 1")
                }
            }
            guard refreshTokenReuseGrace >= 0 else {
                throw OAuthProviderError("refreshTokenReuseGrace must be 0 (none) or a positive number of seconds, got \(refreshTokenReuseGrace)")
            }
            if let scopes = scopesSupported {
                if let bad = scopes.first(where: { !ScopeRules.isValidToken($0) }) {
                    throw OAuthProviderError("scopesSupported contains an invalid scope token: \"\(bad)\"")
                }
                if Set(scopes).count != scopes.count {
                    throw OAuthProviderError("scopesSupported must not contain duplicates")
                }
            }
            try resourceMetadata.map(Self.validate)
        }

        private static func validateEndpoint(_ name: String, _ value: String) throws(OAuthProviderError) {
            if value.hasPrefix("/") { return }
            guard let url = URL(string: value), let host = url.host, let scheme = url.scheme?.lowercased(),
                scheme == "https" || scheme == "http"
            else {
                throw OAuthProviderError("\(name) must be a path starting with \"/\" or an absolute URL, got \"\(value)\"")
            }
            if scheme == "http", !RedirectURIRules.isLoopback(host) {
                throw OAuthProviderError("\(name) must use https (http is allowed only on loopback hosts), got \"\(value)\"")
            }
        }

        private static func validate(_ metadata: ResourceMetadata) throws(OAuthProviderError) {
            if let resource = metadata.resource, resource.hasPrefix("/") {
                guard !resource.hasPrefix("//"), ResourceRules.isValid("https://host.invalid" + resource) else {
                    throw OAuthProviderError("resourceMetadata.resource as a path must look like \"/mcp\" (no fragment), got \"\(resource)\"")
                }
            } else if let resource = metadata.resource {
                guard ResourceRules.isValid(resource), let url = URL(string: resource) else {
                    throw OAuthProviderError("resourceMetadata.resource must be an absolute http(s) URI without a fragment")
                }
                if url.scheme?.lowercased() == "http", !RedirectURIRules.isLoopback(url.host ?? "") {
                    throw OAuthProviderError("resourceMetadata.resource must use https (http only on loopback hosts)")
                }
            }
            if let servers = metadata.authorizationServers {
                guard !servers.isEmpty else {
                    throw OAuthProviderError("resourceMetadata.authorization_servers must not be empty")
                }
                for server in servers {
                    guard let components = URLComponents(string: server), components.host != nil,
                        components.query == nil, components.fragment == nil,
                        components.scheme?.lowercased() == "https"
                            || (components.scheme?.lowercased() == "http"
                                && RedirectURIRules.isLoopback(components.host ?? ""))
                    else {
                        throw OAuthProviderError(
                            "resourceMetadata.authorization_servers entries must be https URLs without query or fragment, got \"\(server)\""
                        )
                    }
                }
            }
            if let bad = metadata.scopesSupported?.first(where: { !ScopeRules.isValidToken($0) }) {
                throw OAuthProviderError("resourceMetadata.scopes_supported contains an invalid scope token: \"\(bad)\"")
            }
            if let methods = metadata.bearerMethodsSupported, methods.contains(where: { $0 != "header" }) {
                throw OAuthProviderError("resourceMetadata.bearer_methods_supported may only contain \"header\"")
            }
        }
    }
}
