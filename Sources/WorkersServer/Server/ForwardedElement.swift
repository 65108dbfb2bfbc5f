import Foundation
import HTTPTypes

/// The first element of an [RFC 7239](https://www.rfc-editor.org/rfc/rfc7239) `Forwarded` header: what the
/// proxy nearest the client recorded.
///
/// ```swift
/// let element = ForwardedElement(#"for="[2001:db8::1]:4711";proto=https;host=mcp.example.com"#)
/// element.for    // "[2001:db8::1]:4711"
/// element.proto  // "https"
/// ```
struct ForwardedElement: Sendable, Equatable {
    /// `for=`: the client's node (an address, optionally with a port, or an obfuscated identifier), unquoted.
    var `for`: String?
    /// `proto=`: the scheme the client used.
    var proto: String?
    /// `host=`: the `Host` the client sent.
    var host: String?

    static let headerName = HTTPField.Name("Forwarded")!

    /// The first element of `fields`' `Forwarded` header, or `nil` when there is none.
    init?(_ fields: HTTPFields) {
        guard let value = fields[Self.headerName] else { return nil }
        self.init(value)
    }

    /// Parses the first comma-separated element of a `Forwarded` value; pairs are `;`-separated, names compare
    /// case-insensitively, and quoted values lose their quotes.
    init(_ value: String) {
        guard let first = value.split(separator: ",", omittingEmptySubsequences: false).first else { return }
        for pair in first.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            switch key {
            case "for": self.for = value
            case "proto": proto = value
            case "host": host = value
            default: break
            }
        }
    }
}
