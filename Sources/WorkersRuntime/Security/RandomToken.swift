import Crypto
import Foundation

/// Cryptographically secure random strings.
public enum RandomToken {
    /// `byteCount` random bytes, base64url without padding (32 bytes -> 43 characters).
    public static func base64URL(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64URLEncodedString()
    }
}
