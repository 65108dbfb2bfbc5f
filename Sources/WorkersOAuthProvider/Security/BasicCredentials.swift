import Foundation

/// The client id and secret of an `Authorization: Basic base64(urlencode(id):urlencode(secret))` header
/// (RFC 6749 §2.3.1).
struct BasicCredentials: Sendable, Equatable {
    let id: String
    let secret: String

    /// Decodes `header`; `nil` when it is not well-formed Basic credentials.
    init?(_ header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let encoded = parts[1].trimmingCharacters(in: .whitespaces)
        guard !encoded.isEmpty, !encoded.contains(where: \.isWhitespace),
            let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        func formDecode(_ part: Substring) -> String? {
            part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }
        guard let id = formDecode(decoded[..<colon]), let secret = formDecode(decoded[decoded.index(after: colon)...])
        else { return nil }
        self.id = id
        self.secret = secret
    }
}
