import Crypto
public import Foundation

/// Secret comparison and generation.
public enum SecureCompare {
    /// Compares two secrets in time that depends only on their lengths, never on where they differ.
    ///
    /// Both sides are hashed with SHA-256 first, so even the length of the expected secret does not leak through
    /// timing; the digests are then compared in constant time.
    public static func equals(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        let left = SHA256.hash(data: Data(lhs.utf8))
        let right = SHA256.hash(data: Data(rhs.utf8))
        return constantTimeEquals(Array(left), Array(right))
    }

    /// Compares equal-length byte strings without an early exit.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    public func base64URLEncodedString() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url with or without padding.
    public init?(base64URLEncoded string: some StringProtocol) {
        guard let bytes = Base64URL.decode(string.utf8) else { return nil }
        self.init(bytes)
    }
}
