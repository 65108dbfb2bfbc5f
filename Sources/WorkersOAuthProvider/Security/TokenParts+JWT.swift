import Foundation
import WorkersRuntime

extension TokenParts {
    /// The user and grant a JWT access token of this provider names: `sub` and the grant id before the `.` of its
    /// `jti` (`<grantId>.<random>`). The claims are read, not verified: they only locate the token's record, whose key
    /// holds the token's SHA-256, so a forged JWT finds nothing. `nil` for anything else.
    init?(jwt token: String) {
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3, token.utf8.count <= Self.maximumJWTLength,
            let payload = Base64URL.decode(segments[1]).map({ Data($0) }),
            // JSONValue's scanner, not JSONDecoder: this runs on every API call with a JWT, and JSONDecoder made
            // such a call cost twice an opaque one (docs/benchmarks.md, "JWT access tokens").
            let claims = (try? JSONValue(parsing: payload))?.objectValue,
            let sub = claims["sub"]?.stringValue, !sub.isEmpty, !sub.contains(":"),
            let jti = claims["jti"]?.stringValue, let dot = jti.firstIndex(of: "."), dot != jti.startIndex
        else { return nil }
        let grantID = String(jti[..<dot])
        guard !grantID.contains(":") else { return nil }
        self.init(userID: sub, grantID: grantID)
        jwtID = jti
    }

    /// The parts of a grant's token.
    init(userID: String, grantID: String) {
        self.userID = userID
        self.grantID = grantID
    }

    /// The longest JWT looked at (ours are well under 1 KiB).
    static let maximumJWTLength = 8192

    /// The parts of an access token: `{userId}:{grantId}:{secret}`, or a JWT of this provider.
    static func ofAccessToken(_ token: String) -> TokenParts? {
        TokenParts(token) ?? TokenParts(jwt: token)
    }
}
