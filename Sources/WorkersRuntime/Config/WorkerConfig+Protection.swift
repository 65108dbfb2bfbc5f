import Foundation

extension WorkerConfig {
    /// Protection the server applies to every request before the worker runs, with no code in the worker:
    /// `[swift_workers.bearer_token]` and `[swift_workers.access]`.
    ///
    /// ```toml
    /// [swift_workers.bearer_token]
    /// secrets = ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"]   # secrets whose values are accepted (rotation)
    ///
    /// [swift_workers.access]                                     # Cloudflare Access (or any proxy signing a JWT)
    /// team_domain = "myteam.cloudflareaccess.com"
    /// audience = "4714c1358e65fe4b408ad6d432a5f878f08194bd"      # a string or an array of AUD tags
    /// # jwks_url, issuer and header override the values derived from the team domain.
    /// ```
    public struct Protection: Sendable, Equatable {
        /// `[swift_workers.bearer_token]`: static bearer tokens read from these secrets.
        public struct BearerToken: Sendable, Equatable {
            /// Secret names whose values are accepted.
            public var secrets: [String]
            public init(secrets: [String]) { self.secrets = secrets }
        }

        /// `[swift_workers.access]`: identity-aware proxy assertions.
        public struct Access: Sendable, Equatable {
            public var teamDomain: String?
            public var audiences: [String]
            public var jwksURL: String?
            public var issuer: String?
            public var header: String?

            public init(teamDomain: String? = nil, audiences: [String], jwksURL: String? = nil, issuer: String? = nil, header: String? = nil) {
                self.teamDomain = teamDomain
                self.audiences = audiences
                self.jwksURL = jwksURL
                self.issuer = issuer
                self.header = header
            }
        }

        public var bearerToken: BearerToken?
        public var access: Access?

        public init(bearerToken: BearerToken? = nil, access: Access? = nil) {
            self.bearerToken = bearerToken
            self.access = access
        }

        /// Whether any protection is configured.
        public var isEmpty: Bool { bearerToken == nil && access == nil }
    }
}
