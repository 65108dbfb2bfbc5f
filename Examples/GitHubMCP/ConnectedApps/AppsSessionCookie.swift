import Foundation
import WorkersRuntime

/// The connected-apps page's session cookie: an ``AppsSession`` sealed like the approval cookie (AES-256-GCM, the
/// cookie name as authenticated data) under a key of its own (HKDF purpose `connected-apps session v1`), valid for
/// an hour, `HttpOnly`, and `Secure` with the `__Host-` prefix over HTTPS.
///
/// `SameSite=Lax`, not `Strict`: the cookie is set by `/callback`, at the end of a redirect chain that started at
/// GitHub, and the browser then follows `/callback`'s redirect to `/apps`. Chromium treats every request of a chain
/// that began cross-site as cross-site, so a `Strict` cookie would not be sent to `/apps` and the user would land on
/// the sign-in page again. `Lax` is sent on those top-level GETs and withheld from cross-site POSTs, so a revoke
/// or sign-out form posted from another site arrives without the session (and without the CSRF token it needs).
struct AppsSessionCookie: Sendable {
    static let purpose = "connected-apps session v1"
    static let lifetime: TimeInterval = 3600

    /// A ``SealedCookie`` keyed for this cookie only.
    let cookies: SealedCookie
    let secure: Bool

    var name: String { secure ? "__Host-mcp-apps-session" : "mcp-apps-session" }

    /// The session in `request`'s cookie; `nil` when there is none, or it is forged, altered, expired or sealed for
    /// another cookie.
    func session(in request: Request) -> AppsSession? {
        cookies.open(request.cookies[name], name: name).flatMap(AppsSession.init)
    }

    /// Whether `request` carries this cookie at all (valid or not).
    func isPresent(in request: Request) -> Bool { request.cookies[name] != nil }

    /// The cookie that signs `session` in.
    func cookie(for session: AppsSession) throws -> Cookie {
        let value = try cookies.seal(session.json, name: name, lifetime: Self.lifetime)
        return Cookie(name: name, value: value, maxAge: Int(Self.lifetime), secure: secure, sameSite: .lax)
    }

    /// A cookie that signs the browser out.
    var clearingCookie: Cookie {
        Cookie(name: name, value: "", maxAge: 0, secure: secure, sameSite: .lax)
    }
}
