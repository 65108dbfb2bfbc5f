import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

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
