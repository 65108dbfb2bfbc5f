public import Foundation
public import Logging
public import WorkersRuntime

extension AccessAssertionGuard {
    /// The `[vars]` (or secrets) a guard is configured from.
    public enum EnvironmentName {
        /// The Access team domain, `myteam.cloudflareaccess.com`.
        public static let teamDomain = "ACCESS_TEAM_DOMAIN"
        /// The application AUD tag; several as a comma-separated string or a JSON array.
        public static let audience = "ACCESS_AUD"
        /// Overrides the key set URL derived from the team domain.
        public static let jwksURL = "ACCESS_JWKS_URL"
        /// Overrides the issuer derived from the team domain.
        public static let issuer = "ACCESS_ISSUER"
    }

    /// A guard configured from `env`, as `wrangler.toml` would set it:
    ///
    /// ```toml
    /// [vars]
    /// ACCESS_TEAM_DOMAIN = "myteam.cloudflareaccess.com"
    /// ACCESS_AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2"
    /// # optional: ACCESS_JWKS_URL = "http://127.0.0.1:9000/certs", ACCESS_ISSUER = "https://issuer.example"
    /// ```
    ///
    /// `ACCESS_AUD` is required; `ACCESS_TEAM_DOMAIN` is required unless both `ACCESS_JWKS_URL` and `ACCESS_ISSUER`
    /// are set. Header and cookie keep the Cloudflare Access defaults.
    /// - Parameters:
    ///   - env: The environment to read.
    ///   - fetcher: Fetches the key set; by default `env.fetcher` at check time.
    ///   - now: The clock.
    ///   - logger: Where denial reasons are logged.
    /// - Throws: ``AccessConfigurationError`` naming every missing var, or describing an invalid value.
    public init(
        env: Env,
        fetcher: (any Fetcher)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "workers.access")
    ) throws {
        try self.init(configuration: Self.configuration(from: env), fetcher: fetcher, now: now, logger: logger)
    }

    /// The configuration `env` describes (see ``init(env:fetcher:now:logger:)``).
    public static func configuration(from env: Env) throws -> Configuration {
        func value(_ name: String) -> String? {
            env.string(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let teamDomain = value(EnvironmentName.teamDomain)
        let jwksURL = value(EnvironmentName.jwksURL)
        let issuer = value(EnvironmentName.issuer)
        let audiences = Self.audiences(from: env.json(EnvironmentName.audience))

        var missing: [String] = []
        if teamDomain == nil, jwksURL == nil || issuer == nil { missing.append(EnvironmentName.teamDomain) }
        if audiences.isEmpty { missing.append(EnvironmentName.audience) }
        guard missing.isEmpty else {
            throw AccessConfigurationError("Missing required var(s) for the Access guard: \(missing.joined(separator: ", "))")
        }

        var configuration: Configuration
        if let teamDomain {
            configuration = try .cloudflareAccess(teamDomain: teamDomain, audiences: audiences)
        } else {
            configuration = Configuration(jwksURL: URL(string: "https://invalid")!, issuer: "", audiences: audiences)
        }
        if let jwksURL {
            guard let url = URL(string: jwksURL), url.host != nil else {
                throw AccessConfigurationError("\(EnvironmentName.jwksURL) is not an absolute URL: \(jwksURL)")
            }
            configuration.jwksURL = url
        }
        if let issuer { configuration.issuer = issuer }
        return configuration
    }

    private static func audiences(from value: JSONValue?) -> [String] {
        let values: [String]
        switch value {
        case .string(let text): values = text.split(separator: ",").map(String.init)
        case .array(let items): values = items.compactMap(\.stringValue)
        default: values = []
        }
        return values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
