import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A grant as ``OAuthHelpers/listUserGrants(_:limit:cursor:)`` lists it: no secrets, no props.
public struct GrantSummary: Sendable, Equatable {
    /// The grant id.
    public var id: String
    /// The client the grant was issued to.
    public var clientID: String
    /// The user.
    public var userID: String
    /// The granted scopes.
    public var scope: [String]
    /// The application metadata stored with the grant (plaintext).
    public var metadata: JSONValue?
    /// When the grant was created (seconds since the epoch).
    public var createdAt: Int
    /// When the grant expires (seconds since the epoch), `nil` for never.
    public var expiresAt: Int?
    /// The redirect URI used at authorization.
    public var redirectURI: String?
}

/// A decoded access token (``OAuthHelpers/unwrapToken(_:)``).
public struct TokenSummary: Sendable, Equatable {
    /// The token id (SHA-256 hex of the token).
    public var id: String
    /// The grant it belongs to.
    public var grantID: String
    /// The user.
    public var userID: String
    /// Creation time (seconds since the epoch).
    public var createdAt: Int
    /// Expiry (seconds since the epoch).
    public var expiresAt: Int
    /// The resources the token is bound to.
    public var audience: [String]?
    /// The token's scopes.
    public var scope: [String]
    /// The client the grant was issued to.
    public var clientID: String
    /// The grant's scopes.
    public var grantScope: [String]
    /// The decrypted props.
    public var props: JSONValue
}

/// A page of results with a cursor for the next page (`nil` when complete).
public struct ListResult<Item: Sendable>: Sendable {
    /// The items.
    public var items: [Item]
    /// Pass to the next call to continue; `nil` when there is nothing more.
    public var cursor: String?
}

/// The outcome of ``OAuthHelpers/completeAuthorization(_:)``.
public struct CompletedAuthorization: Sendable, Equatable {
    /// Where to send the browser: the client's redirect URI with `code`, `state` and `iss`.
    public var redirectTo: String
}

/// A client created or updated by the helpers, with the plaintext secret when one was just set.
public struct RegisteredClient: Sendable, Equatable {
    /// The stored client (its ``ClientInfo/clientSecret`` is the hash).
    public var client: ClientInfo
    /// The plaintext secret, returned only when it was just generated or set.
    public var clientSecret: String?

    /// Pairs a client with its plaintext secret.
    public init(client: ClientInfo, clientSecret: String?) {
        self.client = client
        self.clientSecret = clientSecret
    }
}
