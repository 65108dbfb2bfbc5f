import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOFoundationCompat
import Synchronization
import WorkersJWKS
import WorkersRuntime

/// Where the trusted authorization server publishes its keys and answers introspection: as configured, or
/// discovered once from its RFC 8414 metadata (`/.well-known/oauth-authorization-server`), whose `issuer` must be
/// the configured one. Discovery is single flight; a failed discovery is retried by the next request.
final class AuthorizationServerEndpoints: Sendable {
    /// The endpoints once known: the key set (with its cache) and the introspection endpoint, if any.
    struct Resolved: Sendable {
        let jwks: JWKSCache
        let introspectionURL: URL?
    }

    /// The largest metadata document read.
    static let maxMetadataSize = 64 * 1024
    /// The largest key set document read.
    static let maxJWKSSize = 64 * 1024

    private let configuration: OAuthResourceServer.Configuration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let resolved: Mutex<Resolved?>
    private let discovery = SingleFlight()

    init(configuration: OAuthResourceServer.Configuration, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        let needsDiscovery = configuration.jwksURL == nil || (configuration.canIntrospect && configuration.introspectionURL == nil)
        if !needsDiscovery, let jwksURL = configuration.jwksURL {
            resolved = Mutex(Resolved(jwks: Self.cache(jwksURL, configuration, now, logger), introspectionURL: configuration.introspectionURL))
        } else {
            resolved = Mutex(nil)
        }
    }

    /// The endpoints if already known, without waiting.
    var current: Resolved? { resolved.withLock { $0 } }

    /// The endpoints, discovering them first when needed.
    /// - Throws: ``TokenRejection`` (unavailable) when the metadata cannot be fetched or is unusable.
    func resolve(fetcher: any Fetcher) async throws(TokenRejection) -> Resolved {
        if let current { return current }
        do {
            return try await discovery.run {
                if let current = self.current { return current }
                let found = try await self.discover(fetcher: fetcher)
                self.resolved.withLock { $0 = found }
                return found
            }
        } catch let rejection as TokenRejection {
            throw rejection
        } catch {
            throw .unavailable("authorization server metadata: \(error)")
        }
    }

    /// `https://as/.well-known/oauth-authorization-server[<issuer path>]` (RFC 8414 §3.1).
    static func metadataURL(issuer: String) -> URL? {
        guard var components = URLComponents(string: issuer) else { return nil }
        let path = components.path == "/" ? "" : components.path
        components.path = "/.well-known/oauth-authorization-server" + path
        components.query = nil
        components.fragment = nil
        return components.url
    }

    private func discover(fetcher: any Fetcher) async throws -> Resolved {
        guard let url = Self.metadataURL(issuer: configuration.issuer) else {
            throw TokenRejection.unavailable("issuer \(configuration.issuer) has no metadata URL")
        }
        var request = Request(url: url)
        request.headers[.accept] = "application/json"
        let response = try await fetcher.fetch(
            request, limits: FetchLimits(timeout: configuration.fetchTimeout, maximumResponseBytes: Self.maxMetadataSize)
        )
        guard response.status == .ok else {
            throw TokenRejection.unavailable("metadata endpoint answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: Self.maxMetadataSize)
        let document = try JSONDecoder().decode(MetadataDocument.self, from: Data(buffer: body))
        guard document.issuer == configuration.issuer else {
            throw TokenRejection.unavailable("metadata names issuer \(document.issuer ?? "(none)"), not \(configuration.issuer)")
        }
        let jwksURL: URL
        if let configured = configuration.jwksURL {
            jwksURL = configured
        } else {
            guard let uri = document.jwks_uri, OAuthResourceServer.Configuration.isSecureAbsolute(uri), let parsed = URL(string: uri) else {
                throw TokenRejection.unavailable("metadata has no usable jwks_uri")
            }
            jwksURL = parsed
        }
        var introspectionURL = configuration.introspectionURL
        if introspectionURL == nil, configuration.canIntrospect {
            if let uri = document.introspection_endpoint, OAuthResourceServer.Configuration.isSecureAbsolute(uri) {
                introspectionURL = URL(string: uri)
            } else {
                logger.error("The authorization server advertises no usable introspection_endpoint: opaque tokens and props are refused")
            }
        }
        logger.debug("Discovered authorization server endpoints", metadata: ["jwks_uri": "\(jwksURL.absoluteString.escapedForLog)"])
        return Resolved(jwks: Self.cache(jwksURL, configuration, now, logger), introspectionURL: introspectionURL)
    }

    private static func cache(
        _ url: URL, _ configuration: OAuthResourceServer.Configuration, _ now: @escaping @Sendable () -> Date, _ logger: Logger
    ) -> JWKSCache {
        JWKSCache(
            url: url,
            algorithms: configuration.algorithms,
            refreshCooldown: configuration.refreshCooldown,
            ttl: configuration.jwksCacheTTL,
            maxSize: maxJWKSSize,
            timeout: configuration.fetchTimeout,
            now: now,
            logger: logger
        )
    }

    /// The RFC 8414 fields read.
    private struct MetadataDocument: Decodable {
        var issuer: String?
        var jwks_uri: String?
        var introspection_endpoint: String?
    }
}

/// One discovery at a time: concurrent callers share the running one.
private actor SingleFlight {
    private var running: Task<AuthorizationServerEndpoints.Resolved, any Error>?

    func run(_ work: @escaping @Sendable () async throws -> AuthorizationServerEndpoints.Resolved) async throws
        -> AuthorizationServerEndpoints.Resolved
    {
        if let running { return try await running.value }
        let task = Task { try await work() }
        running = task
        defer { running = nil }
        return try await task.value
    }
}
