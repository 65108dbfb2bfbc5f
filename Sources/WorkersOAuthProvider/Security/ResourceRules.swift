import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// RFC 8707 resource indicators and audience matching.
enum ResourceRules {
    /// Whether `uri` is an absolute http(s) URI without a fragment.
    static func isValid(_ uri: String) -> Bool {
        guard let components = URLComponents(string: uri), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return components.fragment == nil && !uri.contains("#")
    }

    static let invalidDescription = "The resource parameter must be a valid absolute URI without a fragment"

    /// Whether resource `uri` is on `origin` (scheme, host and port), i.e. served by this server.
    static func isOnOrigin(_ uri: String, _ origin: String) -> Bool {
        URL(string: uri)?.origin == origin
    }

    /// Resolves the audience of tokens issued from a grant: the anchor's `resolveTokenResource`, with each token
    /// bound to exactly one configured resource, and, without configured resources, every resource on `origin`
    /// (this server).
    /// - Parameters:
    ///   - requested: The `resource` parameters of the token request.
    ///   - granted: The resources of the grant.
    ///   - configured: The canonical resources (already resolved against `origin`), the default first; `nil` when
    ///     none is configured.
    ///   - origin: This server's origin.
    /// - Returns: The resources to bind: exactly one with configured resources (the one asked for, else the grant's
    ///   first, else the default); `nil` when none was asked for or granted without configured resources (the token
    ///   is then bound to `origin`, see ``audience(_:origin:)``).
    static func resolve(requested: [String], granted: [String]?, configured: [String]?, origin: String) throws(OAuthError)
        -> [String]?
    {
        for value in requested where !isValid(value) {
            throw OAuthError(.invalidTarget, description: invalidDescription)
        }
        if let granted, granted.contains(where: { !isValid($0) }) {
            throw OAuthError(.invalidTarget, description: invalidDescription)
        }
        if let configured, let fallback = configured.first {
            if let granted, !granted.allSatisfy(configured.contains) {
                throw OAuthError(.invalidTarget, description: "The authorization grant is not bound to the configured resource")
            }
            guard !requested.isEmpty else { return [granted?.first ?? fallback] }
            guard requested.count == 1, configured.contains(requested[0]) else {
                throw OAuthError(
                    .invalidTarget,
                    description: configured.count == 1
                        ? "The resource parameter must exactly match \(fallback)"
                        : "The resource parameter must name exactly one of this server's resources"
                )
            }
            if let granted, !granted.contains(requested[0]) {
                throw OAuthError(.invalidTarget, description: "Requested resource was not included in the authorization request")
            }
            return requested
        }
        if let foreign = (requested + (granted ?? [])).first(where: { !isOnOrigin($0, origin) }) {
            throw OAuthError(.invalidTarget, description: "The resource \(foreign) is not served by this server (\(origin))")
        }
        if !requested.isEmpty, let granted, !requested.allSatisfy(granted.contains) {
            throw OAuthError(.invalidTarget, description: "Requested resource was not included in the authorization request")
        }
        return requested.isEmpty ? granted : requested
    }

    /// The audience a token is stored with: the resolved resources, or, when there are none, this server's origin
    /// (a token is never valid everywhere).
    static func audience(_ resolved: [String]?, origin: String) -> [String] {
        resolved ?? [origin]
    }

    /// Whether a request URL is inside audience `audience`: same origin, same query when the audience has one, and
    /// the path equal to the audience path or below it on a `/` boundary.
    static func audienceMatches(_ url: URL, _ audience: String) -> Bool {
        // The common cases, a request to exactly the audience URL or to a path below it, match by the rules below
        // (same origin, query and path) when the request URL spells the audience out before a `/` or `?`: skip
        // parsing both URLs for them. Parsing them costs more than the rest of a protected call's checks.
        spellsOut(audience, url.absoluteString) || parsedURLsMatch(url, audience)
    }

    /// ``audienceMatches(_:_:)`` by parsing both URLs.
    static func parsedURLsMatch(_ url: URL, _ audience: String) -> Bool {
        guard let aud = URL(string: audience), aud.origin == url.origin else { return false }
        let audComponents = URLComponents(url: aud, resolvingAgainstBaseURL: false)
        let urlComponents = URLComponents(url: url, resolvingAgainstBaseURL: false)
        if let query = audComponents?.percentEncodedQuery, !query.isEmpty,
            urlComponents?.percentEncodedQuery != query
        {
            return false
        }
        let audPath = audComponents?.percentEncodedPath ?? ""
        if audPath.isEmpty || audPath == "/" { return true }
        let path = urlComponents?.percentEncodedPath ?? ""
        let base = audPath.hasSuffix("/") ? String(audPath.dropLast()) : audPath
        return path == base || path.hasPrefix(base + "/")
    }

    /// Whether `url` is `audience` itself, or `audience` followed by a path below it or (for an audience without a
    /// path below its origin) a query: both mean the same origin, and a path equal to or below the audience's.
    /// An audience with a query or fragment is left to the full comparison.
    static func spellsOut(_ audience: String, _ url: String) -> Bool {
        guard url.hasPrefix(audience) else { return false }
        if url.utf8.count == audience.utf8.count { return true }
        guard !audience.utf8.contains(UInt8(ascii: "?")), !audience.utf8.contains(UInt8(ascii: "#")) else { return false }
        if audience.hasSuffix("/") { return true }
        let next = url.utf8[url.utf8.index(url.utf8.startIndex, offsetBy: audience.utf8.count)]
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }
}
