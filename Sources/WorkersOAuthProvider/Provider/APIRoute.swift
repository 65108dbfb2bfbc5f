import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// One protected route prefix, its handler, and the resource its tokens must be bound to.
struct APIRoute: Sendable {
    let host: String?
    let path: String
    let handler: any FetchHandling
    /// The resource the route serves; `nil` when no resource is configured (tokens bound to the origin).
    let resource: ResourceCatalog.Entry?

    init(_ pattern: String, handler: any FetchHandling, resource: ResourceCatalog.Entry?) throws(OAuthProviderError) {
        self.handler = handler
        self.resource = resource
        if pattern.hasPrefix("/") {
            host = nil
            path = pattern
        } else if let url = URL(string: pattern), let host = url.host {
            self.host = host.lowercased()
            let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
            self.path = path.isEmpty ? "/" : path
        } else {
            throw OAuthProviderError("API route must be a path starting with \"/\" or a full URL, got \"\(pattern)\"")
        }
    }

    /// Whether `request` is under this route: `/mcp` matches `/mcp` and `/mcp/...`, never `/mcpx`; `/` matches only
    /// `/`.
    func matches(_ request: Request) -> Bool {
        if let host, request.url.host?.lowercased() != host { return false }
        return Self.pathMatches(request.path, prefix: path)
    }

    static func pathMatches(_ path: String, prefix: String) -> Bool {
        if prefix == "/" { return path == "/" }
        if prefix.hasSuffix("/") { return path.hasPrefix(prefix) || path == String(prefix.dropLast()) }
        return path == prefix || path.hasPrefix(prefix + "/")
    }
}
