import Foundation
import HTTPTypes
import WorkersRuntime

/// The connected-apps page at `/apps`: the MCP clients holding grants for the signed-in user, each with a Revoke
/// button, or, signed out, a button to sign in. Every echoed value is HTML-escaped; every form carries the session's
/// CSRF token; the page has the consent page's security headers (no framing, no caching, nothing loaded).
struct ConnectedAppsPage: Sendable {
    var login: String
    var apps: [ConnectedApp]
    var csrfToken: String

    var html: String {
        let body = apps.isEmpty
            ? #"<p class="empty">No MCP client holds a grant for you on this server.</p>"#
            : """
            <table>
              <thead><tr><th>App</th><th>Redirects to</th><th>Scopes</th><th>Connected</th><th>Last refreshed</th><th></th></tr></thead>
              <tbody>
                \(apps.map(row).joined(separator: "\n    "))
              </tbody>
            </table>
            <p class="muted">Last refreshed: when the app last renewed its access with its refresh token; &mdash; when
            it has not yet (or when that was not recorded).</p>
            """
        return Self.document(title: "Connected apps", wide: true, content: """
            <div class="heading">
              <h1>Connected apps</h1>
              <form method="post" action="/apps/sign-out">
                <input type="hidden" name="csrf_token" value="\(HTML.escape(csrfToken))">
                <button type="submit" class="small">Sign out</button>
              </form>
            </div>
            <p class="muted">Signed in with GitHub as <strong>@\(HTML.escape(login))</strong>.</p>
            <p>These MCP clients can call this server's tools as you. Revoking one ends its access at once: its tokens
            stop working, and it has to ask you again.</p>
            \(body)
            """)
    }

    private func row(_ app: ConnectedApp) -> String {
        let name = app.clientName.map { "<strong>\(HTML.escape($0))</strong>" } ?? "<em>unnamed client</em>"
        let scopes = app.scopes.isEmpty ? "<em>none</em>" : app.scopes.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ")
        let target = app.redirectTarget.map { "<code>\(HTML.escape($0))</code>" } ?? "<em>unknown</em>"
        let refreshed = app.lastRefreshedAt.map(Self.date) ?? "&mdash;"
        return """
            <tr><td>\(name)<div class="id">\(HTML.escape(app.clientID))</div></td><td class="target-cell">\(target)</td>\
            <td>\(scopes)</td><td>\(Self.date(app.createdAt))</td><td>\(refreshed)</td>\
            <td><form method="post" action="/apps/revoke">\
            <input type="hidden" name="grant_id" value="\(HTML.escape(app.grantID))">\
            <input type="hidden" name="csrf_token" value="\(HTML.escape(csrfToken))">\
            <button type="submit" class="revoke" aria-label="Revoke \(HTML.escape(app.clientName ?? app.clientID))">Revoke</button>\
            </form></td></tr>
            """
    }

    var response: Response { Response.html(html, headers: ConsentPage.securityHeaders) }

    /// The signed-out page: what the page is, and a button that signs in with `upstreamName`.
    static func signIn(upstreamName: String) -> Response {
        let html = document(title: "Connected apps", wide: false, content: """
            <h1>Connected apps</h1>
            <p>Sign in to see the MCP clients that can use this server as you, and to revoke their access.</p>
            <form method="post" action="/apps/sign-in">
              <div class="actions"><button type="submit" class="approve">Sign in with \(HTML.escape(upstreamName))</button></div>
            </form>
            """)
        return Response.html(html, headers: ConsentPage.securityHeaders)
    }

    /// A short page with `message` and a way back to the connected-apps page.
    static func message(_ title: String, _ message: String, status: HTTPResponse.Status) -> Response {
        let html = document(title: title, wide: false, content: """
            <h1>\(HTML.escape(title))</h1>
            <p>\(HTML.escape(message))</p>
            <p><a href="/apps">Back to connected apps</a></p>
            """)
        return Response.html(html, status: status, headers: ConsentPage.securityHeaders)
    }

    /// `seconds` since the epoch as `2026-12-01 17:20 UTC`.
    static func date(_ seconds: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0)
    }

    private static func document(title: String, wide: Bool, content: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>\(HTML.escape(title)) · github-mcp</title>
          <style>
            \(PageStyle.css)
            main.wide { max-width: 60rem; }
            .heading { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
            .heading form { margin: 0; }
            table { width: 100%; border-collapse: collapse; margin: 1.25rem 0 .75rem; font-size: .95rem; }
            th, td { text-align: left; padding: .65rem .5rem; border-top: 1px solid #d0d7de; vertical-align: top; }
            th { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: #59636e; border-top: none; }
            td form { margin: 0; }
            .id { color: #59636e; font: .8rem ui-monospace, monospace; word-break: break-all; }
            .target-cell { word-break: break-all; }
            code { background: #f6f8fa; border-radius: 4px; padding: .1rem .3rem; font-size: .85rem; }
            button.small, button.revoke { flex: none; font-size: .875rem; padding: .3rem .8rem; }
            button.revoke { color: #d1242f; background: #fff; font-weight: 600; }
            button.revoke:hover { background: #d1242f; border-color: #d1242f; color: #fff; }
            .empty { background: #f6f8fa; border-radius: 6px; padding: 1rem; text-align: center; color: #59636e; }
          </style>
        </head>
        <body>
        <main\(wide ? #" class="wide""# : "")>
        \(content)
        </main>
        </body>
        </html>
        """
    }
}
