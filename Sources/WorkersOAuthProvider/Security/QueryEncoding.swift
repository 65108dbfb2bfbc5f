import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// Strict query-string encoding (everything but unreserved characters percent-encoded), so values such as
/// `+`, `&` or `=` in a code, state or description survive every parser.
enum QueryEncoding {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    static func encode(_ string: String) -> String {
        string.addingPercentEncoding(withAllowedCharacters: unreserved) ?? string
    }

    static func encode(_ items: [URLQueryItem]) -> String {
        items.map { "\(encode($0.name))=\(encode($0.value ?? ""))" }.joined(separator: "&")
    }

    /// Appends `items` to `uri`'s query, keeping what it already has.
    static func appending(_ items: [URLQueryItem], to uri: String) -> String {
        guard var components = URLComponents(string: uri) else { return uri }
        let existing = components.percentEncodedQuery.map { $0.isEmpty ? [] : [$0] } ?? []
        components.percentEncodedQuery = (existing + [encode(items)]).joined(separator: "&")
        return components.string ?? uri
    }
}
