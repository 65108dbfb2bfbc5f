public import Foundation
import HTTPTypes

extension AccessAssertionGuard {
    /// Where the assertion comes from, which keys sign it, and what it must claim.
    ///
    /// Defaults match Cloudflare Access; set ``headerName``, ``cookieName``, ``jwksURL``, ``issuer`` and
    /// ``audiences`` for another identity-aware proxy that signs a JWT header (Google IAP, Pomerium, oauth2-proxy).
    ///
    /// ```swift
    /// let configuration = AccessAssertionGuard.Configuration(
    ///     jwksURL: URL(string: "https://myteam.cloudflareaccess.com/cdn-cgi/access/certs")!,
    ///     issuer: "https://myteam.cloudflareaccess.com",
    ///     audiences: ["4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2"]
    /// )
    /// ```
    public struct Configuration: Sendable {
        /// The request header carrying the assertion (`Cf-Access-Jwt-Assertion`).
        public var headerName: String
        /// The cookie read when the header is absent (`CF_Authorization`); `nil` reads no cookie.
        public var cookieName: String?
        /// Where the proxy publishes its signing keys (a JWK Set). Must be `https`, except on a loopback host.
        public var jwksURL: URL
        /// The exact `iss` every assertion must carry.
        public var issuer: String
        /// Accepted `aud` values (the Access application's AUD tag); an assertion must name at least one.
        public var audiences: [String]
        /// Signature algorithms accepted; the key named by `kid` must be of the matching type.
        public var algorithms: [Algorithm]
        /// Leeway for `exp`, `nbf` and `iat` against the clock, in seconds (60 by default).
        public var clockSkew: TimeInterval
        /// The shortest time between two key set fetches, in seconds (30 by default): an unknown `kid`, however
        /// many arrive, causes at most one fetch per window.
        public var refreshCooldown: TimeInterval
        /// How long a fetched key set is used before it is fetched again, in seconds (10 minutes by default).
        /// When that fetch fails, the cached keys keep serving.
        public var cacheTTL: TimeInterval
        /// The largest key set document accepted, in bytes (256 KiB by default).
        public var maxJWKSSize: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - jwksURL: The JWK Set URL (`https`, or `http` on a loopback host for local testing).
        ///   - issuer: The required `iss`.
        ///   - audiences: The accepted `aud` values.
        ///   - headerName: The assertion header.
        ///   - cookieName: The fallback cookie, or `nil` for none.
        ///   - algorithms: Accepted algorithms (RS256 and ES256 by default).
        ///   - clockSkew: Leeway for time claims, in seconds.
        ///   - refreshCooldown: Minimum seconds between key set fetches.
        ///   - cacheTTL: Seconds a fetched key set is fresh.
        ///   - maxJWKSSize: Largest key set accepted, in bytes.
        public init(
            jwksURL: URL,
            issuer: String,
            audiences: [String],
            headerName: String = "Cf-Access-Jwt-Assertion",
            cookieName: String? = "CF_Authorization",
            algorithms: [Algorithm] = [.rs256, .es256],
            clockSkew: TimeInterval = 60,
            refreshCooldown: TimeInterval = 30,
            cacheTTL: TimeInterval = 600,
            maxJWKSSize: Int = 256 * 1024
        ) {
            self.jwksURL = jwksURL
            self.issuer = issuer
            self.audiences = audiences
            self.headerName = headerName
            self.cookieName = cookieName
            self.algorithms = algorithms
            self.clockSkew = clockSkew
            self.refreshCooldown = refreshCooldown
            self.cacheTTL = cacheTTL
            self.maxJWKSSize = maxJWKSSize
        }

        /// The configuration for a Cloudflare Access application.
        /// - Parameters:
        ///   - teamDomain: The team domain, `myteam.cloudflareaccess.com` (a leading `https://` and a trailing `/`
        ///     are ignored).
        ///   - audiences: The application's AUD tag(s).
        /// - Returns: Keys from `https://<team>/cdn-cgi/access/certs`, issuer `https://<team>`.
        public static func cloudflareAccess(teamDomain: String, audiences: [String]) throws -> Configuration {
            let team = normalizedTeamDomain(teamDomain)
            guard !team.isEmpty, !team.contains(where: { "/?#@ ".contains($0) }), let jwksURL = URL(string: "https://\(team)/cdn-cgi/access/certs"), jwksURL.host != nil
            else {
                throw AccessConfigurationError("Invalid Access team domain \"\(teamDomain)\"")
            }
            return Configuration(jwksURL: jwksURL, issuer: "https://\(team)", audiences: audiences)
        }

        static func normalizedTeamDomain(_ teamDomain: String) -> String {
            var team = teamDomain.trimmingCharacters(in: .whitespaces)
            if team.lowercased().hasPrefix("https://") { team.removeFirst("https://".count) }
            while team.hasSuffix("/") { team.removeLast() }
            return team.lowercased()
        }

        /// Checks the configuration.
        /// - Throws: ``AccessConfigurationError`` naming the first problem: a JWKS URL that is not `https` on a
        ///   non-loopback host, an empty issuer or audience list, no algorithms, or an invalid header name.
        public func validate() throws {
            let scheme = jwksURL.scheme?.lowercased()
            guard let host = jwksURL.host(percentEncoded: false), !host.isEmpty else {
                throw AccessConfigurationError("JWKS URL \(jwksURL.absoluteString) has no host")
            }
            guard scheme == "https" || (scheme == "http" && Self.isLoopback(host: host)) else {
                throw AccessConfigurationError(
                    "JWKS URL \(jwksURL.absoluteString) must use https (plain http is allowed only on a loopback host)"
                )
            }
            guard !issuer.isEmpty else { throw AccessConfigurationError("The issuer must not be empty") }
            guard !audiences.isEmpty, audiences.allSatisfy({ !$0.isEmpty }) else {
                throw AccessConfigurationError("At least one non-empty audience is required")
            }
            guard !algorithms.isEmpty else { throw AccessConfigurationError("At least one algorithm is required") }
            guard HTTPField.Name(headerName) != nil else {
                throw AccessConfigurationError("Invalid assertion header name \"\(headerName)\"")
            }
            guard clockSkew >= 0, refreshCooldown >= 0, cacheTTL >= 0, maxJWKSSize > 0 else {
                throw AccessConfigurationError("Clock skew, cooldown, TTL and size limit must not be negative")
            }
        }

        /// Whether `host` is `localhost`, in `127.0.0.0/8`, or `::1`.
        static func isLoopback(host: String) -> Bool {
            var host = host.lowercased()
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host == "localhost" { return true }
            if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets[0] == "127" else { return false }
            return octets.allSatisfy { octet in
                guard let value = UInt8(octet), String(value) == octet else { return false }
                return true
            }
        }
    }
}

/// A guard configuration that cannot work (missing vars, a non-https key set URL, ...).
public struct AccessConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the setting or var.
    public let message: String

    /// Creates an error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
