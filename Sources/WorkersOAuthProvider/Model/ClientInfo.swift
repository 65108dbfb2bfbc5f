import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// A registered OAuth client, as stored at `client:{clientId}` (JSON field names match the anchor's).
///
/// ``clientSecret`` holds the SHA-256 hex of the secret, never the secret: the plaintext is returned once, by
/// ``OAuthHelpers/createClient(_:)`` or dynamic registration.
public struct ClientInfo: Sendable, Codable, Equatable {
    /// The client id (16 random characters when generated; for a metadata-document client, the document's URL).
    public var clientID: String
    /// The SHA-256 hex of the client secret; `nil` for public clients. Plaintext only in a create/update result.
    public var clientSecret: String?
    /// The registered redirect URIs (exact match; loopback URIs match on any port).
    public var redirectURIs: [String]
    /// A display name.
    public var clientName: String?
    /// A logo URL.
    public var logoURI: String?
    /// The client's home page.
    public var clientURI: String?
    /// The privacy policy URL.
    public var policyURI: String?
    /// The terms of service URL.
    public var tosURI: String?
    /// The client's JWKS URL.
    public var jwksURI: String?
    /// Contact addresses.
    public var contacts: [String]?
    /// Allowed grant types.
    public var grantTypes: [GrantType]?
    /// Allowed response types (`["code"]` when absent).
    public var responseTypes: [ResponseType]?
    /// When the client registered (seconds since the epoch).
    public var registrationDate: Int?
    /// How the client authenticates at the token endpoint.
    public var tokenEndpointAuthMethod: TokenEndpointAuthMethod
    /// `web` or `native`, when the client said (it decides which redirect URIs it may register).
    public var applicationType: ApplicationType?
    /// Who registered the client; `nil` for a record written elsewhere (the anchor), treated as self-registered.
    public var registeredBy: ClientRegistrationSource?
    /// When a user first completed an authorization for the client (seconds since the epoch). A dynamically
    /// registered client that has none expires after ``OAuthProvider/Options/unusedClientRegistrationTTL``.
    public var firstAuthorizedAt: Int?
    /// Whether the method was chosen explicitly (then it is enforced exactly). Internal; never returned.
    var authMethodExplicit: Bool?
    /// The scopes the client may ask for with the `client_credentials` grant (space-separated, RFC 7591 `scope`);
    /// `nil`: any scope of the resource. Set by the operator (``OAuthHelpers/createClient(_:)``); dynamic
    /// registration does not store it.
    public var scope: String?

    enum CodingKeys: String, CodingKey {
        case clientID = "clientId"
        case clientSecret
        case redirectURIs = "redirectUris"
        case clientName
        case logoURI = "logoUri"
        case clientURI = "clientUri"
        case policyURI = "policyUri"
        case tosURI = "tosUri"
        case jwksURI = "jwksUri"
        case contacts, grantTypes, responseTypes, registrationDate, tokenEndpointAuthMethod, authMethodExplicit
        case registeredBy, firstAuthorizedAt, applicationType, scope
    }

    /// Creates client metadata; pass it to ``OAuthHelpers/createClient(_:)``.
    /// - Parameters:
    ///   - clientID: The id; empty to generate one.
    ///   - clientSecret: A secret to set (plaintext; it is hashed), or `nil` to generate one for confidential clients.
    ///   - redirectURIs: Registered redirect URIs.
    ///   - tokenEndpointAuthMethod: The authentication method (`client_secret_basic` by default). It is enforced
    ///     exactly: a `client_secret_basic` client cannot authenticate with `client_secret_post`.
    ///   - scope: The scopes a machine client may ask for with `client_credentials` (`nil`: any of the resource's).
    public init(
        clientID: String = "",
        clientSecret: String? = nil,
        redirectURIs: [String],
        clientName: String? = nil,
        logoURI: String? = nil,
        clientURI: String? = nil,
        policyURI: String? = nil,
        tosURI: String? = nil,
        jwksURI: String? = nil,
        contacts: [String]? = nil,
        grantTypes: [GrantType]? = nil,
        responseTypes: [ResponseType]? = nil,
        registrationDate: Int? = nil,
        tokenEndpointAuthMethod: TokenEndpointAuthMethod = .clientSecretBasic,
        applicationType: ApplicationType? = nil,
        scope: String? = nil
    ) {
        self.scope = scope
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURIs = redirectURIs
        self.clientName = clientName
        self.logoURI = logoURI
        self.clientURI = clientURI
        self.policyURI = policyURI
        self.tosURI = tosURI
        self.jwksURI = jwksURI
        self.contacts = contacts
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.registrationDate = registrationDate
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.applicationType = applicationType
        self.authMethodExplicit = true
    }

    /// Whether the client is public (authenticates with `none`).
    public var isPublic: Bool { tokenEndpointAuthMethod == .none }

    /// Whether nobody vouches for the client: it registered itself (or its record does not say who registered it).
    public var registeredItself: Bool { registeredBy != .operator }

    /// Whether the client is identified by a Client ID Metadata Document (its id is the document's URL).
    public var isMetadataDocumentClient: Bool { registeredBy == .metadataDocument }

    /// The grant types the client may use: the registered ones, or, for a record without any, the authorization
    /// code and refresh token grants.
    var allowedGrantTypes: [GrantType] { grantTypes ?? [.authorizationCode, .refreshToken] }

    /// The record without internal markers, as helpers return it.
    var publicView: ClientInfo {
        var copy = self
        copy.authMethodExplicit = nil
        return copy
    }
}
