import Foundation
import WorkersRuntime

/// Remembers, in a sealed cookie, which MCP clients this browser has approved and for which scopes, so the consent
/// page is shown once per client and scope set (for a year, or until the cookie is cleared). A request for a scope
/// the browser never approved for that client asks again.
struct ApprovedClients: Sendable {
    static let lifetime: TimeInterval = 365 * 24 * 3600
    static let maxClients = 20

    /// One approval: a client and every scope approved for it (`{"c": id, "s": [scopes]}` in the cookie).
    struct Approval: Equatable {
        var clientID: String
        var scopes: Set<String>

        init(clientID: String, scopes: Set<String>) {
            self.clientID = clientID
            self.scopes = scopes
        }

        init?(_ json: JSONValue) {
            guard let clientID = json["c"]?.stringValue, let scopes = json["s"]?.arrayValue else { return nil }
            self.init(clientID: clientID, scopes: Set(scopes.compactMap(\.stringValue)))
        }

        var json: JSONValue { ["c": .string(clientID), "s": .array(scopes.sorted().map(JSONValue.string))] }
    }

    let cookies: SealedCookie
    let secure: Bool

    /// The cookie name: `__Host-` prefixed (host-only, path `/`, Secure) when served over HTTPS.
    var name: String { secure ? "__Host-mcp-approved-clients" : "mcp-approved-clients" }

    /// This browser's approvals, most recent first (entries of an older cookie format approve nothing).
    func approvals(in request: Request) -> [Approval] {
        cookies.open(request.cookies[name], name: name)?.arrayValue?.compactMap(Approval.init) ?? []
    }

    /// The client ids this browser approved, most recent first.
    func approved(in request: Request) -> [String] {
        approvals(in: request).map(\.clientID)
    }

    /// Whether this browser approved `clientID` for every one of `scopes`.
    func isApproved(_ clientID: String, scopes: [String] = [], in request: Request) -> Bool {
        approvals(in: request).contains { $0.clientID == clientID && $0.scopes.isSuperset(of: scopes) }
    }

    /// The cookie that records approving `clientID` for `scopes` (added to what was approved for it before; most
    /// recent client first, at most 20 kept).
    func cookie(approving clientID: String, scopes: [String] = [], in request: Request) throws -> Cookie {
        let earlier = approvals(in: request)
        let previous = earlier.first { $0.clientID == clientID }?.scopes ?? []
        let approvals = [Approval(clientID: clientID, scopes: previous.union(scopes))] + earlier.filter { $0.clientID != clientID }
        let value = try cookies.seal(
            .array(approvals.prefix(Self.maxClients).map(\.json)), name: name, lifetime: Self.lifetime
        )
        return Cookie(name: name, value: value, maxAge: Int(Self.lifetime), secure: secure, sameSite: .lax)
    }
}
