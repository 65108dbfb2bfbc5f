import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A parsed, validated authorization request (``OAuthHelpers/parseAuthRequest(_:)``).
///
/// Keep it (for example in a signed cookie or server-side state) while the user logs in upstream, then pass it back
/// to ``OAuthHelpers/completeAuthorization(_:)``.
public struct AuthRequest: Sendable, Codable, Equatable {
    /// `response_type`.
    public var responseType: ResponseType
    /// `client_id`.
    public var clientID: String
    /// The validated `redirect_uri`.
    public var redirectURI: String
    /// The requested scopes (`scope` split on spaces).
    public var scope: [String]
    /// `state`, `""` when absent.
    public var state: String
    /// The PKCE challenge.
    public var codeChallenge: String?
    /// The PKCE method.
    public var codeChallengeMethod: CodeChallengeMethod?
    /// The RFC 8707 resource indicators (the configured resource when one is configured).
    public var resource: [String]?
    /// The issuer identifier sent back as `iss`.
    public var issuer: String?

    /// Creates a request value.
    public init(
        responseType: ResponseType = .code,
        clientID: String,
        redirectURI: String,
        scope: [String] = [],
        state: String = "",
        codeChallenge: String? = nil,
        codeChallengeMethod: CodeChallengeMethod? = nil,
        resource: [String]? = nil,
        issuer: String? = nil
    ) {
        self.responseType = responseType
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scope = scope
        self.state = state
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.resource = resource
        self.issuer = issuer
    }
}
