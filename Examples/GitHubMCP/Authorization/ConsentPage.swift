import Foundation
import HTTPTypes
import WorkersRuntime

/// The consent page `/authorize` shows before sending the browser to GitHub: which client asks, where it will
/// redirect, which scopes; Approve or Deny. Every echoed value is HTML-escaped, and the page cannot be framed.
///
/// A client identified by a metadata document names itself: only the host of its client id is vouched for (by TLS),
/// so the page leads with that host ("client.example.com says it is <name>"), and warns when every redirect URI
/// the document lists is loopback, since any program on the user's machine can listen there.
struct ConsentPage: Sendable {
    var clientName: String
    var clientID: String
    var clientURI: String?
    /// The host of the client id, for a metadata-document client.
    var metadataDocumentHost: String? = nil
    /// Whether every redirect URI the client registered is loopback.
    var redirectsOnlyToLoopback = false
    var redirectURI: String
    var scopes: [String]
    var consentToken: String
    var upstreamName: String

    /// Where the client will be sent back to (see ``target(of:)``).
    var redirectTarget: String { Self.target(of: redirectURI) }

    /// A redirect URI as the consent page shows it, with its scheme always there: `https://client.example`,
    /// `com.example.app://claude.ai` (a private-use scheme dressed as a host must not read as that host), or the
    /// whole URI when it has no host (`com.example.app:/callback`).
    static func target(of redirectURI: String) -> String {
        guard let components = URLComponents(string: redirectURI), let scheme = components.scheme,
            let host = components.host, !host.isEmpty
        else { return redirectURI }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        return "\(scheme.lowercased())://\(authority)"
    }

    var html: String {
        let scopeItems = scopes.isEmpty
            ? "<li><em>no specific scopes</em></li>"
            : scopes.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined()
        let website = clientURI.map { #"<p class="muted">Website: \#(HTML.escape($0))</p>"# } ?? ""
        let heading = metadataDocumentHost.map { host in
            "<strong>\(HTML.escape(host))</strong> says it is <strong>\(HTML.escape(clientName))</strong>, and wants to use this MCP server as you"
        } ?? "<strong>\(HTML.escape(clientName))</strong> wants to use this MCP server as you"
        let loopbackWarning = redirectsOnlyToLoopback
            ? #"<p class="warning">This client can only send you back to your own computer (a loopback address), where any program can listen. Approve only if you started it yourself, just now.</p>"#
            : ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Authorize \(HTML.escape(clientName))</title>
              <style>
                \(PageStyle.css)
              </style>
            </head>
            <body>
            <main>
              <h1>\(heading)</h1>
              <p class="muted">Client ID: <code>\(HTML.escape(clientID))</code></p>
              \(website)
              <p>After you sign in with \(HTML.escape(upstreamName)), you will be sent back to:</p>
              <p class="target">\(HTML.escape(redirectTarget))</p>
              \(loopbackWarning)
              <p>Requested scopes:</p>
              <ul>\(scopeItems)</ul>
              <p class="muted">Only approve clients you recognise. The client will be able to call this server's
              tools on your behalf; it never receives your GitHub token.</p>
              <form method="post" action="/authorize">
                <input type="hidden" name="consent_token" value="\(HTML.escape(consentToken))">
                <div class="actions">
                  <button type="submit" name="decision" value="deny">Deny</button>
                  <button type="submit" name="decision" value="approve" class="approve">Approve</button>
                </div>
              </form>
            </main>
            </body>
            </html>
            """
    }

    /// The page as a response with anti-clickjacking and no-store headers.
    var response: Response {
        Response.html(html, headers: Self.securityHeaders)
    }

    /// Headers for every page this example renders: no framing, no caching, nothing loaded from elsewhere.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Content-Security-Policy")!:
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "no-store",
    ]
}
