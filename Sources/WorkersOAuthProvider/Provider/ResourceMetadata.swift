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

/// Scope token rules.
enum ScopeRules {
    /// Whether `scope` matches RFC 6749's `scope-token` grammar.
    static func isValidToken(_ scope: String) -> Bool {
        !scope.isEmpty && scope.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return value == 0x21 || (0x23...0x5B).contains(value) || (0x5D...0x7E).contains(value)
        }
    }

    /// Deduplicates, keeping order, and drops `offline_access` (an authorization-server capability, RFC 9728).
    static func publishable(_ scopes: [String]) -> [String] {
        var seen = Set<String>()
        return scopes.filter { $0 != "offline_access" && seen.insert($0).inserted }
    }

    /// Splits a space-delimited scope string.
    static func split(_ scope: String?) -> [String] {
        (scope ?? "").split(separator: " ").map(String.init)
    }

    /// Requested scopes filtered to `allowed`; all of `allowed` when nothing was requested.
    static func downscope(_ requested: String?, allowed: [String]) -> [String] {
        guard let requested else { return allowed }
        var seen = Set<String>()
        return split(requested).filter { allowed.contains($0) && seen.insert($0).inserted }
    }
}
