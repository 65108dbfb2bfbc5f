import Crypto
import Foundation
import WorkersKV
import WorkersRuntime

/// Short-lived, single-use records of authorizations in progress, kept in KV under the SHA-256 of a random token
/// (so the store never holds a usable token), and bound to the browser that started them by a cookie.
///
/// Two kinds are used: `consent` (the consent page shown; its token is also the page's CSRF token) and `state`
/// (the `state` sent to GitHub, checked when GitHub redirects back to `/callback`).
struct PendingAuthorizations: Sendable {
    /// A kind of pending record, with the cookie that binds it to the browser.
    struct Kind: Sendable {
        let prefix: String
        let cookieBase: String
        static let consent = Kind(prefix: "github-mcp:consent:", cookieBase: "mcp-consent")
        static let state = Kind(prefix: "github-mcp:state:", cookieBase: "mcp-oauth-state")
    }

    static let lifetime = 600

    let kv: any KVNamespace
    let secure: Bool

    func cookieName(_ kind: Kind) -> String { secure ? "__Host-\(kind.cookieBase)" : kind.cookieBase }

    /// Stores `payload` and returns its fresh token and the cookie binding it to this browser.
    func start(_ kind: Kind, payload: JSONValue) async throws -> (token: String, cookie: Cookie) {
        let token = RandomToken.base64URL(byteCount: 32)
        try await kv.put(kind.prefix + Self.hash(token), bytes: try payload.jsonData(), options: .init(expirationTtl: Self.lifetime))
        let cookie = Cookie(name: cookieName(kind), value: Self.hash(token), maxAge: Self.lifetime, secure: secure, sameSite: .lax)
        return (token, cookie)
    }

    /// Takes (reads and deletes) the record of `token` when this browser's cookie binds it; `nil` when the token is
    /// missing, unknown, already used, expired, or was started in another browser.
    func take(_ kind: Kind, token: String?, request: Request) async throws -> JSONValue? {
        guard let token, !token.isEmpty, let bound = request.cookies[cookieName(kind)],
            SecureCompare.equals(bound, Self.hash(token))
        else { return nil }
        let key = kind.prefix + Self.hash(token)
        guard let entry = try await kv.getEntry(key) else { return nil }
        try await kv.delete(key)
        return try? JSONValue(parsing: entry.value)
    }

    /// A cookie that clears the binding of `kind`.
    func clearingCookie(_ kind: Kind) -> Cookie {
        Cookie(name: cookieName(kind), value: "", maxAge: 0, secure: secure, sameSite: .lax)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
