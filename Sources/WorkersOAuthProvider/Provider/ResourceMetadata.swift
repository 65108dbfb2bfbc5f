import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// The protected resource metadata (RFC 9728) the provider publishes at
/// `/.well-known/oauth-protected-resource[/<path>]`.
///
/// Setting ``resource`` makes it the canonical resource: every token is bound to exactly that audience.
public struct ResourceMetadata: Sendable, Equatable {
    /// The canonical resource identifier: an absolute URI, or a path (`"/mcp"`) resolved against the origin each
    /// request arrives at (for a server that does not know its public origin in advance); `nil` to derive it from
    /// each metadata request's path.
    public var resource: String?
    /// Authorization servers; `nil` for this provider's issuer.
    public var authorizationServers: [String]?
    /// The resource's scopes (deduplicated, `offline_access` never listed).
    public var scopesSupported: [String]?
    /// How bearer tokens may be sent; only `header` is supported.
    public var bearerMethodsSupported: [String]?
    /// A display name.
    public var resourceName: String?

    /// Creates resource metadata.
    /// - Parameters:
    ///   - resource: The canonical resource: an absolute https URI without fragment (http only on loopback hosts), or
    ///     a path such as `"/mcp"` on this server's origin.
    ///   - authorizationServers: Issuer URLs (https, no query or fragment).
    ///   - scopesSupported: The resource's scopes.
    ///   - bearerMethodsSupported: `["header"]` or `nil`.
    ///   - resourceName: A display name.
    public init(
        resource: String? = nil,
        authorizationServers: [String]? = nil,
        scopesSupported: [String]? = nil,
        bearerMethodsSupported: [String]? = nil,
        resourceName: String? = nil
    ) {
        self.resource = resource
        self.authorizationServers = authorizationServers
        self.scopesSupported = scopesSupported
        self.bearerMethodsSupported = bearerMethodsSupported
        self.resourceName = resourceName
    }

    /// The scopes to publish and to list in challenges: deduplicated, without `offline_access`.
    var baselineScopes: [String] {
        ScopeRules.publishable(scopesSupported ?? [])
    }
}
