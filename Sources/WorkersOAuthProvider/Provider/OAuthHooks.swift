import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// What ``OAuthProvider/Options/resolveExternalToken`` is given.
public struct ExternalTokenInput: Sendable {
    /// The bearer token as sent.
    public var token: String
    /// The API request.
    public var request: Request
    /// The environment.
    public var env: Env
}

/// A bearer token accepted by ``OAuthProvider/Options/resolveExternalToken``.
public struct ExternalTokenResult: Sendable {
    /// The props the API handler sees in `ctx.props`.
    public var props: JSONValue
    /// The resources at which the credential is accepted (required, exactly, with a canonical resource).
    public var audience: [String]?

    /// Creates a result.
    public init(props: JSONValue, audience: [String]? = nil) {
        self.props = props
        self.audience = audience
    }
}

/// What ``OAuthProvider/Options/tokenExchangeCallback`` is given.
public struct TokenExchangeInput: Sendable {
    /// `authorization_code` or `refresh_token`.
    public var grantType: GrantType
    /// The client.
    public var clientID: String
    /// The user.
    public var userID: String
    /// The grant (stable across refreshes).
    public var grantID: String
    /// The grant's scopes.
    public var scope: [String]
    /// The scopes of the token about to be issued (after downscoping).
    public var requestedScope: [String]
    /// The grant's decrypted props.
    public var props: JSONValue
}

/// How ``OAuthProvider/Options/tokenExchangeCallback`` changes the tokens being issued. Every field is optional.
public struct TokenExchangeResult: Sendable {
    /// Props for this access token only.
    public var accessTokenProps: JSONValue?
    /// New props for the grant (and the access token, unless ``accessTokenProps`` is set).
    public var newProps: JSONValue?
    /// The access token's lifetime in seconds (at least 60).
    public var accessTokenTTL: Int?
    /// The refresh token's lifetime; only at code exchange (at refresh it is an `invalid_request`).
    public var refreshTokenTTL: TokenLifetime?
    /// Scopes for the access token, downscoped against the grant's.
    public var accessTokenScope: [String]?

    /// Creates a result.
    public init(
        accessTokenProps: JSONValue? = nil,
        newProps: JSONValue? = nil,
        accessTokenTTL: Int? = nil,
        refreshTokenTTL: TokenLifetime? = nil,
        accessTokenScope: [String]? = nil
    ) {
        self.accessTokenProps = accessTokenProps
        self.newProps = newProps
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.accessTokenScope = accessTokenScope
    }
}

/// What ``OAuthProvider/Options/clientRegistrationCallback`` is given.
public struct ClientRegistrationInput: Sendable {
    /// The registration request's JSON body.
    public var clientMetadata: JSONValue
    /// The registration request.
    public var request: Request
}

/// An error response the provider is about to send, given to ``OAuthProvider/Options/onError``.
public struct OAuthErrorEvent: Sendable {
    /// The error code.
    public var code: String
    /// The description sent on the wire.
    public var errorDescription: String
    /// The status.
    public var status: HTTPResponse.Status
    /// The response headers.
    public var headers: HTTPFields
    /// Detail that is never sent on the wire (for example an auth-method mismatch), for logs.
    public var internalDetail: String?
    /// The request, when there is one.
    public var request: Request?
}
