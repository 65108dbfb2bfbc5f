import Foundation
import WorkersOAuthProvider

/// One row of the connected-apps page: a grant an MCP client holds for the signed-in user.
struct ConnectedApp: Sendable, Equatable {
    var grantID: String
    var clientID: String
    /// The name the client registered (or its metadata document gives), `nil` when it has none or is gone.
    var clientName: String?
    /// Where the client was sent back to at authorization (``ConsentPage/target(of:)``), when the grant recorded it.
    var redirectTarget: String?
    var scopes: [String]
    /// Seconds since the epoch.
    var createdAt: Int
    /// Seconds since the epoch; `nil` when the client never refreshed (or the anchor wrote the grant last).
    var lastRefreshedAt: Int?

    init(
        grantID: String, clientID: String, clientName: String?, redirectTarget: String?, scopes: [String],
        createdAt: Int, lastRefreshedAt: Int?
    ) {
        self.grantID = grantID
        self.clientID = clientID
        self.clientName = clientName
        self.redirectTarget = redirectTarget
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastRefreshedAt = lastRefreshedAt
    }

    /// The row of `grant`, issued to `client` (`nil`: no longer registered, or its document cannot be read).
    init(_ grant: GrantSummary, client: ClientInfo?) {
        let name = client?.clientName.flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            grantID: grant.id, clientID: grant.clientID, clientName: name,
            redirectTarget: grant.redirectURI.map(ConsentPage.target(of:)), scopes: grant.scope,
            createdAt: grant.createdAt, lastRefreshedAt: grant.lastRefreshedAt
        )
    }
}
