import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

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
