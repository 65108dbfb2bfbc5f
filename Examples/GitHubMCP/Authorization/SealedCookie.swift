import Crypto
import Foundation
import WorkersRuntime

/// Cookie values that are encrypted and authenticated (AES-256-GCM) under a key derived from
/// `COOKIE_ENCRYPTION_KEY`: the browser can neither read nor forge nor alter them, nor move a value to another
/// cookie name (the name is authenticated data), and each carries its own expiry.
struct SealedCookie: Sendable {
    private let key: SymmetricKey
    private let now: @Sendable () -> Date

    /// The purpose of the approval and consent cookies (the key they have always been sealed with).
    static let defaultPurpose = "cookie sealing v1"

    /// Derives the sealing key from the configured secret (HKDF-SHA256), one key per `purpose`: a value sealed for
    /// one purpose never opens under another, whatever the cookie's name.
    /// - Throws: ``SealedCookieError`` when the secret is shorter than 32 characters.
    init(
        secret: String, purpose: String = SealedCookie.defaultPurpose, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(SealedCookieError) {
        guard secret.utf8.count >= 32 else {
            throw SealedCookieError("COOKIE_ENCRYPTION_KEY must be at least 32 characters (try `openssl rand -hex 32`)")
        }
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("github-mcp \(purpose)".utf8),
            outputByteCount: 32
        )
        self.now = now
    }

    /// Seals `value` for cookie `name`, valid for `lifetime` seconds.
    func seal(_ value: JSONValue, name: String, lifetime: TimeInterval) throws -> String {
        let envelope: JSONValue = ["v": value, "exp": .number((now().timeIntervalSince1970 + lifetime).rounded())]
        let sealed = try AES.GCM.seal(try envelope.jsonData(), using: key, authenticating: Data(name.utf8))
        guard let combined = sealed.combined else { throw SealedCookieError("sealing failed") }
        return combined.base64URLEncodedString()
    }

    /// The value sealed in cookie `name`, or `nil` when it is missing, altered, sealed for another name or expired.
    func open(_ cookie: String?, name: String) -> JSONValue? {
        guard let cookie, let combined = Data(base64URLEncoded: cookie),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let plaintext = try? AES.GCM.open(box, using: key, authenticating: Data(name.utf8)),
            let envelope = try? JSONValue(parsing: plaintext),
            let expiry = envelope["exp"]?.numberValue, expiry > now().timeIntervalSince1970
        else { return nil }
        return envelope["v"]
    }
}

/// The cookie key is not usable.
struct SealedCookieError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
