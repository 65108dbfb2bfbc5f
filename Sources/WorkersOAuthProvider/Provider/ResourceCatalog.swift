import Foundation
import WorkersRuntime

/// The resources tokens are issued for, as the provider resolved them once at construction.
///
/// Two modes: the resources of ``OAuthProvider/init(resources:defaultHandler:options:)`` (each token bound to
/// exactly one of them), or the single resource of ``OAuthProvider/Options/resourceMetadata`` (the simple form);
/// without a canonical resource there, no resource is configured and tokens are bound to this server's origin.
struct ResourceCatalog: Sendable {
    /// One resource, without its handlers.
    struct Entry: Sendable {
        let uri: String
        let scopes: [String]
        /// What a `401` challenge names; `nil`: ``scopes``.
        var challengeScopes: [String]? = nil
        let format: AccessTokenFormat
        let name: String?

        /// The scopes it publishes (RFC 9728 `scopes_supported`): its own when it declares some, else `fallback`
        /// (the provider's ``OAuthProvider/Options/scopesSupported``).
        func scopes(fallback: [String]?) -> [String] { scopes.isEmpty ? (fallback ?? []) : scopes }

        /// The canonical URI for a request that arrived at `origin`.
        func canonical(at origin: String) -> String { uri.hasPrefix("/") ? origin + uri : uri }
    }

    /// The resources, the first the default; empty when none is configured.
    let entries: [Entry]
    /// Whether they came from ``OAuthProvider/init(resources:defaultHandler:options:)`` (several resources; the
    /// per-resource metadata documents and challenges) rather than ``OAuthProvider/Options/resourceMetadata``.
    let declared: Bool

    /// The format of tokens for an audience no entry names (the simple form without a canonical resource).
    let defaultFormat: AccessTokenFormat

    /// The simple form's catalog: the canonical resource of `metadata`, if it names one, its tokens in `format`.
    init(metadata: ResourceMetadata?, format: AccessTokenFormat = .opaque) {
        entries = metadata?.resource.map { [Entry(uri: $0, scopes: [], format: format, name: metadata?.resourceName)] } ?? []
        declared = false
        defaultFormat = format
    }

    /// The catalog of declared resources.
    init(resources: [OAuthProvider.Resource]) {
        entries = resources.map {
            Entry(uri: $0.uri, scopes: $0.scopes, challengeScopes: $0.challengeScopes, format: $0.accessTokenFormat, name: $0.name)
        }
        declared = true
        defaultFormat = .opaque
    }

    /// The format of a token bound to `audience` (at `origin`): its resource's, else the simple form's.
    func format(of audience: [String], at origin: String) -> AccessTokenFormat {
        if audience.count == 1, let entry = entry(audience[0], at: origin) { return entry.format }
        return declared ? .opaque : defaultFormat
    }

    /// Whether any token may be a JWT.
    var issuesJWTs: Bool { defaultFormat == .jwt || entries.contains { $0.format == .jwt } }

    /// Whether tokens are bound to configured resources (else to this server's origin).
    var isConfigured: Bool { !entries.isEmpty }

    /// The canonical URIs at `origin`, `nil` when none is configured.
    func canonicalURIs(at origin: String) -> [String]? {
        isConfigured ? entries.map { $0.canonical(at: origin) } : nil
    }

    /// The resource whose canonical URI at `origin` is `uri`.
    func entry(_ uri: String, at origin: String) -> Entry? {
        entries.first { $0.canonical(at: origin) == uri }
    }

    /// Every declared scope, in order, once (for the authorization server's metadata).
    var allScopes: [String] {
        var seen = Set<String>()
        return entries.flatMap(\.scopes).filter { seen.insert($0).inserted }
    }
}
