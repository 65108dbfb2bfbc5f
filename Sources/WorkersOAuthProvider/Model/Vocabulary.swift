import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// An OAuth grant type ([RFC 6749 §4](https://www.rfc-editor.org/rfc/rfc6749#section-4),
/// [RFC 8693](https://www.rfc-editor.org/rfc/rfc8693)).
public struct GrantType: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Decodes the wire spelling.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the wire spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The wire spelling (or a readable summary).
    public var description: String { rawValue }

    /// `authorization_code`.
    public static let authorizationCode = GrantType(rawValue: "authorization_code")
    /// `refresh_token`.
    public static let refreshToken = GrantType(rawValue: "refresh_token")
    /// `implicit` (not supported by this provider).
    public static let implicit = GrantType(rawValue: "implicit")
    /// RFC 8693 token exchange (with ``OAuthProvider/Options/allowTokenExchangeGrant``).
    public static let tokenExchange = GrantType(rawValue: "urn:ietf:params:oauth:grant-type:token-exchange")
}

/// How a client authenticates at the token endpoint
/// ([RFC 7591 §2](https://www.rfc-editor.org/rfc/rfc7591#section-2)).
public struct TokenEndpointAuthMethod: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Decodes the wire spelling.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the wire spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The wire spelling (or a readable summary).
    public var description: String { rawValue }

    /// HTTP Basic with the client id and secret.
    public static let clientSecretBasic = TokenEndpointAuthMethod(rawValue: "client_secret_basic")
    /// `client_id` and `client_secret` in the form body.
    public static let clientSecretPost = TokenEndpointAuthMethod(rawValue: "client_secret_post")
    /// A public client: `client_id` only (PKCE is then mandatory).
    public static let none = TokenEndpointAuthMethod(rawValue: "none")

    /// The methods this provider accepts, in preference order.
    public static let supported: [TokenEndpointAuthMethod] = [.clientSecretBasic, .clientSecretPost, .none]

    /// Whether the method uses a client secret.
    public var usesSecret: Bool { self == .clientSecretBasic || self == .clientSecretPost }
}

/// An authorization response type ([RFC 6749 §3.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.1)).
public struct ResponseType: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Decodes the wire spelling.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the wire spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The wire spelling (or a readable summary).
    public var description: String { rawValue }

    /// The authorization code flow.
    public static let code = ResponseType(rawValue: "code")
    /// The implicit flow (not supported by this provider).
    public static let token = ResponseType(rawValue: "token")
}

/// A PKCE code challenge method ([RFC 7636 §4.2](https://www.rfc-editor.org/rfc/rfc7636#section-4.2)).
public struct CodeChallengeMethod: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The value as sent on the wire.
    public var rawValue: String
    /// Creates a value from its wire spelling.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Decodes the wire spelling.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes the wire spelling.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    /// The wire spelling (or a readable summary).
    public var description: String { rawValue }

    /// `S256`: base64url(SHA-256(verifier)).
    public static let s256 = CodeChallengeMethod(rawValue: "S256")
    /// `plain`: the verifier itself (only when ``OAuthProvider/Options/allowPlainPKCE`` is set).
    public static let plain = CodeChallengeMethod(rawValue: "plain")
}

/// How long something lives: the anchor's three states of `refreshTokenTTL` / `clientRegistrationTTL`.
///
/// ```swift
/// refreshTokenTTL: .default          // 30 days
/// refreshTokenTTL: .never            // refresh tokens never expire
/// refreshTokenTTL: .seconds(0)       // no refresh tokens at all
/// ```
public enum TokenLifetime: Sendable, Hashable {
    /// The option's documented default.
    case `default`
    /// Never expires.
    case never
    /// This many seconds (`0` disables the thing, where that makes sense).
    case seconds(Int)

    /// The lifetime in seconds, `nil` meaning never, resolving ``default`` to `defaultSeconds`.
    func resolved(default defaultSeconds: Int) -> Int? {
        switch self {
        case .default: defaultSeconds
        case .never: nil
        case .seconds(let seconds): seconds
        }
    }
}
