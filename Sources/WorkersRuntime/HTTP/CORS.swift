import Foundation
import HTTPTypes

/// CORS around the OAuth provider's endpoints and API routes (never its default handler) and a resource server's
/// metadata document and protected routes: a preflight is answered 204, and an answer to a request with `Origin`
/// echoes it, allows any method and `Authorization`, exposes `WWW-Authenticate` and `Retry-After`, and says
/// `Vary: Origin`. Package-internal: shared by WorkersOAuthProvider and WorkersOAuthResourceServer.
package enum CORS {
    /// The answer to `request`: a preflight's 204, or what `respond` answers with the CORS headers added.
    package static func around(_ request: Request, _ respond: () async throws -> Response) async rethrows -> Response {
        if request.method == .options { return apply(to: Response(status: .noContent), request: request) }
        return apply(to: try await respond(), request: request)
    }

    package static func apply(to response: Response, request: Request) -> Response {
        guard let origin = request.headers[.origin] else { return response }
        var response = response
        response.headers[.accessControlAllowOrigin] = origin
        // The answer depends on Origin: caches must not serve one origin's answer to another.
        let vary = response.headers[values: .vary]
        if !vary.contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("Origin") == .orderedSame } }) {
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        response.headers[.accessControlAllowMethods] = "*"
        response.headers[.accessControlAllowHeaders] = "Authorization, *"
        var exposed = (response.headers[.accessControlExposeHeaders] ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for name in ["WWW-Authenticate", "Retry-After"]
        where !exposed.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            exposed.append(name)
        }
        response.headers[.accessControlExposeHeaders] = exposed.joined(separator: ", ")
        response.headers[.accessControlMaxAge] = "86400"
        if response.status == .noContent { response.headers[.contentLength] = "0" }
        return response
    }
}
