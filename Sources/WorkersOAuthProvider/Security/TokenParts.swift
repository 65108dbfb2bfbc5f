/// A token or code string `{userId}:{grantId}:{secret}`.
struct TokenParts: Sendable {
    var userID: String
    var grantID: String
    /// The `jti` when the token is a JWT of this provider (``init(jwt:)``).
    var jwtID: String? = nil

    /// Parses a token; `nil` unless it has exactly three non-empty parts.
    init?(_ token: String) {
        let utf8 = token.utf8
        let colon = UInt8(ascii: ":")
        guard let first = utf8.firstIndex(of: colon), first != utf8.startIndex,
            let second = utf8[utf8.index(after: first)...].firstIndex(of: colon), second != utf8.index(after: first),
            second != utf8.index(before: utf8.endIndex),
            !utf8[utf8.index(after: second)...].contains(colon)
        else { return nil }
        userID = String(token[..<first])
        grantID = String(token[utf8.index(after: first)..<second])
    }

    /// A new token or code for a grant: `{userID}:{grantID}:{32 random characters}`.
    static func make(userID: String, grantID: String) -> String {
        "\(userID):\(grantID):\(TokenCrypto.randomString(length: TokenCrypto.tokenLength))"
    }
}
