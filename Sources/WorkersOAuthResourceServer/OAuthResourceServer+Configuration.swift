public import Foundation
public import WorkersJWKS

extension OAuthResourceServer {
    /// What this resource server is, which authorization server it trusts, and how it checks tokens.
    ///
    /// Only ``resource`` and ``issuer`` are essential: the key set and introspection endpoint are discovered from
    /// the issuer's RFC 8414 metadata when not given.
    ///
    /// ```swift
    /// let configuration = OAuthResourceServer.Configuration(
    ///     resource: "https://notes.example.com/mcp",
    ///     issuer: "https://as.example.com",
    ///     scopesSupported: ["notes:read", "notes:write"]
    /// )
    /// ```
    public struct Configuration: Sendable {
        /// This resource server's canonical URI (RFC 8707 / RFC 9728 `resource`): the exact `aud` it accepts.
        public var resource: String
        /// The issuer of the authorization server it trusts: the exact `iss` of every token.
        public var issuer: String
        /// The AS's JWK Set URL; `nil` discovers `jwks_uri` from the issuer's metadata.
        public var jwksURL: URL?
        /// The AS's RFC 7662 introspection endpoint; `nil` discovers `introspection_endpoint` from the issuer's
        /// metadata (only when ``clientID`` is set).
        public var introspectionURL: URL?
        /// The client id this resource server introspects as (`client_secret_basic`); without it opaque tokens are
        /// refused and props are not available.
        public var clientID: String?
        /// The secret of ``clientID``.
        public var clientSecret: String?
        /// The scopes published in the RFC 9728 document and named in challenges.
        public var scopesSupported: [String]
        /// The `resource_name` of the RFC 9728 document.
        public var resourceName: String?
        /// The JWS algorithms accepted (ES256 and RS256 by default; `none` and `HS*` cannot be expressed).
        public var algorithms: [JWSAlgorithm]
        /// Leeway for `exp` and `iat` against the clock, in seconds (60 by default).
        public var clockSkew: TimeInterval
        /// How long a fetched JWK Set is used before it is fetched again, in seconds (300 by default).
        public var jwksCacheTTL: TimeInterval
        /// The shortest time between two JWK Set fetches, in seconds (30 by default): unknown `kid`s, however many,
        /// cause at most one fetch per window.
        public var refreshCooldown: TimeInterval
        /// How long an introspection answer is reused, in seconds (5 by default), never past the token's `exp`.
        public var introspectionCacheTTL: TimeInterval
        /// The most verified JWTs (and, separately, introspection answers) remembered (10,000 by default).
        public var verifiedCacheCapacity: Int
        /// Where `ctx.props` comes from: ``PropsSource/none`` (JWTs carry no props) or
        /// ``PropsSource/introspection`` (each JWT is also introspected, answer cached, to read its grant's props).
        public var propsSource: PropsSource
        /// How long one fetch to the authorization server may take (5 s by default).
        public var fetchTimeout: Duration
        /// The realm of the `WWW-Authenticate` challenges (`OAuth`).
        public var realm: String

        /// Creates a configuration.
        /// - Parameters:
        ///   - resource: This server's canonical URI, e.g. `https://notes.example.com/mcp` (`https`, or `http` on a
        ///     loopback host).
        ///   - issuer: The trusted authorization server's issuer, e.g. `https://as.example.com`.
        ///   - jwksURL: The JWK Set URL, or `nil` to discover it.
        ///   - introspectionURL: The introspection endpoint, or `nil` to discover it.
        ///   - clientID: The client id to introspect as.
        ///   - clientSecret: Its secret.
        ///   - scopesSupported: Scopes for the metadata document and challenges.
        ///   - resourceName: A display name for the metadata document.
        ///   - algorithms: Accepted algorithms.
        ///   - clockSkew: Leeway for time claims, in seconds.
        ///   - jwksCacheTTL: Seconds a fetched key set is fresh.
        ///   - refreshCooldown: Minimum seconds between key set fetches.
        ///   - introspectionCacheTTL: Seconds an introspection answer is reused.
        ///   - verifiedCacheCapacity: The most verified tokens remembered.
        ///   - propsSource: Where props come from.
        ///   - fetchTimeout: The deadline of one fetch to the authorization server.
        ///   - realm: The challenge realm.
        public init(
            resource: String,
            issuer: String,
            jwksURL: URL? = nil,
            introspectionURL: URL? = nil,
            clientID: String? = nil,
            clientSecret: String? = nil,
            scopesSupported: [String] = [],
            resourceName: String? = nil,
            algorithms: [JWSAlgorithm] = [.es256, .rs256],
            clockSkew: TimeInterval = 60,
            jwksCacheTTL: TimeInterval = 300,
            refreshCooldown: TimeInterval = 30,
            introspectionCacheTTL: TimeInterval = 5,
            verifiedCacheCapacity: Int = 10_000,
            propsSource: PropsSource = .none,
            fetchTimeout: Duration = .seconds(5),
            realm: String = "OAuth"
        ) {
            self.resource = resource
            self.issuer = issuer
            self.jwksURL = jwksURL
            self.introspectionURL = introspectionURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.scopesSupported = scopesSupported
            self.resourceName = resourceName
            self.algorithms = algorithms
            self.clockSkew = clockSkew
            self.jwksCacheTTL = jwksCacheTTL
            self.refreshCooldown = refreshCooldown
            self.introspectionCacheTTL = introspectionCacheTTL
            self.verifiedCacheCapacity = verifiedCacheCapacity
            self.propsSource = propsSource
            self.fetchTimeout = fetchTimeout
            self.realm = realm
        }

        /// Whether opaque tokens (and props) can be introspected: a client id and secret are set.
        public var canIntrospect: Bool {
            !(clientID ?? "").isEmpty && !(clientSecret ?? "").isEmpty
        }

        /// Checks the configuration.
        /// - Throws: ``OAuthResourceServerConfigurationError`` naming the first problem.
        public func validate() throws {
            guard Self.isSecureAbsolute(resource), URL(string: resource)?.fragment == nil else {
                throw OAuthResourceServerConfigurationError("resource must be an absolute https URI without fragment (http only on loopback): \(resource)")
            }
            guard Self.isSecureAbsolute(issuer) else {
                throw OAuthResourceServerConfigurationError("issuer must be an absolute https URL (http only on loopback): \(issuer)")
            }
            for (name, url) in [("jwksURL", jwksURL), ("introspectionURL", introspectionURL)] {
                if let url, !Self.isSecureAbsolute(url.absoluteString) {
                    throw OAuthResourceServerConfigurationError("\(name) must be https (http only on loopback): \(url)")
                }
            }
            guard !algorithms.isEmpty else { throw OAuthResourceServerConfigurationError("algorithms must not be empty") }
            if clientID != nil || clientSecret != nil, !canIntrospect {
                throw OAuthResourceServerConfigurationError("clientID and clientSecret go together; set both or neither")
            }
            if propsSource == .introspection, !canIntrospect {
                throw OAuthResourceServerConfigurationError("propsSource .introspection needs clientID and clientSecret")
            }
            guard verifiedCacheCapacity > 0 else { throw OAuthResourceServerConfigurationError("verifiedCacheCapacity must be positive") }
        }

        /// `https://…`, or `http://` on a loopback host (local development and tests).
        static func isSecureAbsolute(_ string: String) -> Bool {
            guard let url = URL(string: string), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
                return false
            }
            if scheme == "https" { return true }
            return scheme == "http" && ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        }
    }

    /// Where ``OAuthResourceServer`` gets the props it puts in `ctx.props`.
    ///
    /// A JWT access token never carries props (RFC 9068 tokens here hold only claims). With ``introspection`` the
    /// resource server introspects every JWT once (the answer cached for ``Configuration/introspectionCacheTTL``) to
    /// read its grant's props, which the authorization server returns only to a client the operator created.
    public struct PropsSource: Sendable, Hashable {
        private let name: String

        /// No props: `ctx.props` is `nil` for JWTs; opaque tokens carry whatever introspection returned.
        public static let none = PropsSource(name: "none")
        /// Props from RFC 7662 introspection (requires ``Configuration/clientID`` and ``Configuration/clientSecret``).
        public static let introspection = PropsSource(name: "introspection")
    }
}

/// An ``OAuthResourceServer/Configuration`` that cannot work; the message says why.
public struct OAuthResourceServerConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
