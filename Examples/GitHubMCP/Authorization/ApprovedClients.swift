import Foundation
import WorkersRuntime

/// Remembers, in a sealed cookie, which MCP clients this browser has approved, so the consent page is shown once
/// per client (for a year, or until the cookie is cleared).
struct ApprovedClients: Sendable {
    static let lifetime: TimeInterval = 365 * 24 * 3600
    static let maxClients = 20

    let cookies: SealedCookie
    let secure: Bool

    /// The cookie name: `__Host-` prefixed (host-only, path `/`, Secure) when served over HTTPS.
    var name: String { secure ? "__Host-mcp-approved-clients" : "mcp-approved-clients" }

    /// The client ids this browser approved.
    func approved(in request: Request) -> [String] {
        cookies.open(request.cookies[name], name: name)?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Whether this browser approved `clientID`.
    func isApproved(_ clientID: String, in request: Request) -> Bool {
        approved(in: request).contains(clientID)
    }

    /// The cookie that adds `clientID` to this browser's approvals (most recent first, at most 20 kept).
    func cookie(approving clientID: String, in request: Request) throws -> Cookie {
        let clients = [clientID] + approved(in: request).filter { $0 != clientID }
        let value = try cookies.seal(.array(clients.prefix(Self.maxClients).map(JSONValue.string)), name: name, lifetime: Self.lifetime)
        return Cookie(name: name, value: value, maxAge: Int(Self.lifetime), secure: secure, sameSite: .lax)
    }
}
