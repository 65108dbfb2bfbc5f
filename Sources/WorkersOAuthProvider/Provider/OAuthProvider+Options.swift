public import Foundation
import HTTPTypes
public import Logging
import WorkersKV
public import WorkersRuntime

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
        /// Enables RFC 7662 token introspection at this path or URL (off by default): resource servers, as
        /// confidential clients, ask whether a token is active and what it grants. Advertised as
        /// `introspection_endpoint` in the authorization server metadata (docs/oauth.md, "Introspection").
        public var introspectionEndpoint: String?
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
        /// Introspection requests admitted per client (per resource server), in this process; `nil` for none. Past
        /// it: `429` `temporarily_unavailable` with `Retry-After`. ``RateLimit/introspectionDefault`` by default.
        public var introspectionRateLimit: RateLimit?
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
        /// Enable the `client_credentials` grant (RFC 6749 §4.4; MCP's client-credentials extension) for confidential
        /// clients the operator registered for it (``GrantType/clientCredentials`` in their grant types): a machine
        /// client gets an access token of its own, no refresh token, with the scopes it asks for among those it was
        /// registered with (``ClientInfo/scope``), or, without, among the resource's. Dynamic registration never
        /// grants it.
        public var allowClientCredentialsGrant: Bool
        /// The props of a `client_credentials` token (handlers see them in `ctx.props`); `nil`, or a callback
        /// returning `nil`, gives `{}`. Throw ``OAuthError`` to refuse the request.
        public var clientCredentialsCallback: (@Sendable (ClientCredentialsInput) async throws -> JSONValue?)?
        /// Accept Client ID Metadata Documents (off by default): a client whose id is an `https` URL with a path is
        /// the client its JSON document at that URL describes, fetched through the environment's SSRF-safe
        /// ``WorkersRuntime/Env/publicFetcher`` and cached in the KV store, with no registration. Advertised as
        /// `client_id_metadata_document_supported`. The way MCP clients identify themselves from the 2026-07-28
        /// revision on (docs/oauth.md, "Client ID Metadata Documents").
        public var clientIDMetadataDocuments: Bool
        /// The KV binding holding clients, grants and tokens.
        public var kvBinding: String
        /// Issue RFC 9068 JWT access tokens signed with keys kept in the KV binding, and publish their public keys as
        /// a JWK Set (advertised as `jwks_uri`); `nil`, the default, issues no JWTs (docs/oauth.md, "Signing keys").
        public var accessTokenSigning: AccessTokenSigning?
        /// How long an API call may reuse a verified access token (its record and decrypted props) without reading
        /// the store, at most 1 second; `nil`, the default, reads the store on every call. For a store across the
        /// network (PostgreSQL), where the read dominates a protected call. A revocation (RFC 7009, a revoked grant,
        /// refresh-token reuse, a deleted client) then takes effect on every instance, this one included, within
        /// this time, and cached props never outlive their token's expiry. Set it after `init`.
        public var verifiedTokenCacheTTL: Duration? {
            get { verifiedTokenCacheLifetime }
            set { verifiedTokenCacheLifetime = newValue.map { min(max($0, .zero), VerifiedTokenCache.maximumLifetime) } }
        }
        private var verifiedTokenCacheLifetime: Duration?
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
        ///   - introspectionEndpoint: The RFC 7662 introspection endpoint, `nil` (the default) to disable it.
        ///   - scopesSupported: Scopes advertised in metadata.
        ///   - resourceMetadata: RFC 9728 metadata.
        ///   - accessTokenTTL: Access token lifetime in seconds.
        ///   - refreshTokenTTL: Refresh token lifetime.
        ///   - clientRegistrationTTL: Lifetime of registered clients.
        ///   - unusedClientRegistrationTTL: Lifetime of a registered client no user has authorized yet.
        ///   - registrationLimits: Caps on registration bodies and fields.
        ///   - registrationRateLimit: Registrations per source address.
        ///   - tokenRateLimit: Token requests per client.
        ///   - introspectionRateLimit: Introspection requests per client.
        ///   - refreshTokenReuseGrace: Seconds a spent refresh token stays usable for a retry.
        ///   - allowPlainPKCE: Accept `plain` PKCE.
        ///   - disallowPublicClientRegistration: Refuse public clients at registration.
        ///   - allowTokenExchangeGrant: Enable RFC 8693 token exchange.
        ///   - allowClientCredentialsGrant: Enable `client_credentials` for operator-registered confidential clients.
        ///   - clientCredentialsCallback: The props of `client_credentials` tokens.
        ///   - clientIDMetadataDocuments: Accept Client ID Metadata Documents.
        ///   - kvBinding: The KV binding name.
        ///   - accessTokenSigning: JWT access tokens and their signing keys; `nil` for none.
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
            introspectionEndpoint: String? = nil,
            scopesSupported: [String]? = nil,
            resourceMetadata: ResourceMetadata? = nil,
            accessTokenTTL: Int = Lifetimes.defaultAccessToken,
            refreshTokenTTL: TokenLifetime = .default,
            clientRegistrationTTL: TokenLifetime = .default,
            unusedClientRegistrationTTL: Int = Lifetimes.defaultUnusedClientRegistration,
            registrationLimits: ClientRegistrationLimits = ClientRegistrationLimits(),
            registrationRateLimit: RateLimit? = .registrationDefault,
            tokenRateLimit: RateLimit? = .tokenDefault,
            introspectionRateLimit: RateLimit? = .introspectionDefault,
            refreshTokenReuseGrace: Int = Lifetimes.defaultRefreshTokenReuseGrace,
            allowPlainPKCE: Bool = false,
            disallowPublicClientRegistration: Bool = false,
            allowTokenExchangeGrant: Bool = false,
            allowClientCredentialsGrant: Bool = false,
            clientCredentialsCallback: (@Sendable (ClientCredentialsInput) async throws -> JSONValue?)? = nil,
            clientIDMetadataDocuments: Bool = false,
            kvBinding: String = "OAUTH_KV",
            accessTokenSigning: AccessTokenSigning? = nil,
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
            self.introspectionEndpoint = introspectionEndpoint
            self.scopesSupported = scopesSupported
            self.resourceMetadata = resourceMetadata
            self.accessTokenTTL = accessTokenTTL
            self.refreshTokenTTL = refreshTokenTTL
            self.clientRegistrationTTL = clientRegistrationTTL
            self.unusedClientRegistrationTTL = unusedClientRegistrationTTL
            self.registrationLimits = registrationLimits
            self.registrationRateLimit = registrationRateLimit
            self.tokenRateLimit = tokenRateLimit
            self.introspectionRateLimit = introspectionRateLimit
            self.refreshTokenReuseGrace = refreshTokenReuseGrace
            self.allowPlainPKCE = allowPlainPKCE
            self.disallowPublicClientRegistration = disallowPublicClientRegistration
            self.allowTokenExchangeGrant = allowTokenExchangeGrant
            self.allowClientCredentialsGrant = allowClientCredentialsGrant
            self.clientCredentialsCallback = clientCredentialsCallback
            self.clientIDMetadataDocuments = clientIDMetadataDocuments
            self.kvBinding = kvBinding
            self.accessTokenSigning = accessTokenSigning
            self.resolveExternalToken = resolveExternalToken
            self.tokenExchangeCallback = tokenExchangeCallback
            self.clientRegistrationCallback = clientRegistrationCallback
            self.onError = onError
            self.now = now
            self.logger = logger
        }

        /// The refresh token lifetime in seconds: `nil` never expires, `0` disables refresh tokens.
        var refreshTokenSeconds: Int? { refreshTokenTTL.resolved(default: Lifetimes.defaultRefreshToken) }
        /// The registered-client lifetime in seconds, `nil` for never.
        var clientRegistrationSeconds: Int? { clientRegistrationTTL.resolved(default: Lifetimes.defaultClientRegistration) }
        /// The format of access tokens in the simple form (``OAuthProvider/init(apiHandlers:defaultHandler:options:)``):
        /// ``AccessTokenFormat/opaque`` (the default) or ``AccessTokenFormat/jwt`` (RFC 9068, signed with
        /// ``accessTokenSigning``'s keys, which default when it is not set). With
        /// ``OAuthProvider/init(resources:defaultHandler:options:)`` each resource names its own. Set it after `init`.
        public var accessTokenFormat: AccessTokenFormat = .opaque
        /// The resources tokens are bound to: those of ``OAuthProvider/init(resources:defaultHandler:options:)``, else
        /// ``resourceMetadata``'s canonical resource (set by ``ProviderComponents``).
        var resources = ResourceCatalog(metadata: nil)
        /// The grant types clients may register for, and a helper-created client gets by default.
        var offeredGrantTypes: [GrantType] {
            [.authorizationCode, .refreshToken] + (allowTokenExchangeGrant ? [.tokenExchange] : [])
        }
        /// The grant types the token endpoint serves (RFC 8414 `grant_types_supported`): the offered ones, and
        /// `client_credentials` when enabled (only for clients the operator registered for it).
        var supportedGrantTypes: [GrantType] {
            offeredGrantTypes + (allowClientCredentialsGrant ? [.clientCredentials] : [])
        }
        /// PKCE methods offered.
        var challengeMethods: [CodeChallengeMethod] { allowPlainPKCE ? [.plain, .s256] : [.s256] }
    }
}
