import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// CORS for the provider's endpoints and API routes: applied only when the request has an `Origin`.
enum CORS {
    static func apply(to response: Response, request: Request) -> Response {
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
