import Foundation
import HTTPTypes
import Hummingbird
import WorkersHummingbird
import WorkersOAuthProvider
import WorkersRuntime

/// The app's authorization page, the provider's "default handler": `GET /authorize` shows the consent form for a
/// validated authorization request, `POST /authorize` records the user's consent and redirects back to the client.
///
/// Who the user is would come from the app's own login; this example takes a user name from the form.
struct ConsentRoutes {
    let oauth: OAuthProviderMiddleware<BasicOAuthRequestContext>

    struct ConsentForm: Decodable {
        var username: String
    }

    func add(to router: Router<BasicOAuthRequestContext>) {
        router.get("/authorize") { request, context in
            try await answering(request) {
                let authRequest = try await oauth.parseAuthRequest(request, context: context)
                let client = try await oauth.helpers.lookupClient(authRequest.clientID)
                return page(client: client?.clientName ?? authRequest.clientID, scopes: authRequest.scope, request: request)
            }
        }
        router.post("/authorize") { request, context in
            try await answering(request) {
                let authRequest = try await oauth.parseAuthRequest(request, context: context)
                let body = try await request.body.collect(upTo: 16 * 1024)
                let form = try URLEncodedFormDecoder().decode(ConsentForm.self, from: String(buffer: body))
                let username = form.username.trimmingCharacters(in: .whitespaces)
                guard (1...64).contains(username.count),
                    username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
                else {
                    throw HTTPError(.badRequest, message: "A user name is 1-64 letters, digits, '-', '_' or '.'")
                }
                let done = try await oauth.helpers.completeAuthorization(
                    CompleteAuthorizationOptions(
                        request: authRequest, userID: username, scope: authRequest.scope, props: ["login": .string(username)]))
                return Hummingbird.Response(status: .found, headers: [.location: done.redirectTo])
            }
        }
    }

    /// Runs `body`, answering an invalid authorization request as the provider's helpers say to: back to the
    /// client when its redirect URI is known and trusted, else a 400 page here.
    private func answering(
        _ request: Hummingbird.Request, _ body: () async throws -> Hummingbird.Response
    ) async throws -> Hummingbird.Response {
        do {
            return try await body()
        } catch let error as AuthorizationError {
            if let location = error.redirectLocation { return Hummingbird.Response(status: .found, headers: [.location: location]) }
            throw HTTPError(.badRequest, message: "Invalid authorization request: \(error.errorDescription)")
        }
    }

    private func page(client: String, scopes: [String], request: Hummingbird.Request) -> Hummingbird.Response {
        let action = request.uri.query.map { "/authorize?\($0)" } ?? "/authorize"
        let html = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Authorize \(HTML.escape(client))</title></head>
            <body>
            <h1>\(HTML.escape(client)) wants to access your account</h1>
            <p>Scopes: \(HTML.escape(scopes.isEmpty ? "none" : scopes.joined(separator: ", ")))</p>
            <form method="post" action="\(HTML.escape(action))">
            <label>User name <input name="username" required></label>
            <button type="submit">Approve</button>
            </form>
            </body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // The page must not be framed by another site (clickjacking the Approve button).
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Content-Security-Policy")!] = "frame-ancestors 'none'"
        return Hummingbird.Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
