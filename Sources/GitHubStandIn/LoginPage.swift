import Foundation
import WorkersRuntime

/// The stand-in's HTML: a GitHub-like "Authorize application" page, clearly marked as a development identity.
enum LoginPage {
    static func render(users: [GitHubStandIn.User], clientID: String, redirectURI: String, state: String, scope: String) -> String {
        let hidden = [("client_id", clientID), ("redirect_uri", redirectURI), ("state", state), ("scope", scope)]
            .map { #"<input type="hidden" name="\#($0.0)" value="\#(HTML.escape($0.1))">"# }
            .joined(separator: "\n      ")
        let accounts = users.enumerated().map { index, user in
            let label = user.name.map { "\(HTML.escape($0)) (@\(HTML.escape(user.login)))" } ?? "@\(HTML.escape(user.login))"
            let checked = index == 0 ? " checked" : ""
            return #"<label><input type="radio" name="login" value="\#(HTML.escape(user.login))"\#(checked)> \#(label)</label>"#
        }.joined(separator: "\n      ")
        let host = URL(string: redirectURI)?.host ?? redirectURI
        return """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>GitHub stand-in: development identity</title>
              <style>
                body { font: 16px system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; color: #1f2328; }
                .banner { background: #fff8c5; border: 1px solid #d4a72c; padding: .75rem; border-radius: 6px; }
                label { display: block; margin: .5rem 0; }
                button { font-size: 1rem; padding: .4rem 1rem; margin-right: .5rem; }
              </style>
            </head>
            <body>
              <p class="banner"><strong>Development identity.</strong> This is a local GitHub stand-in, not GitHub.
              No real account is used.</p>
              <h1>Authorize application</h1>
              <p>An application wants to sign you in and will be redirected to <strong>\(HTML.escape(host))</strong>.</p>
              <p>Requested scopes: <code>\(HTML.escape(scope.isEmpty ? "(none)" : scope))</code></p>
              <form method="post" action="authorize">
                  \(hidden)
                  \(accounts)
                <button type="submit" name="decision" value="authorize">Authorize</button>
                <button type="submit" name="decision" value="cancel">Cancel</button>
              </form>
            </body>
            </html>
            """
    }

    static func error(_ message: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>GitHub stand-in: error</title></head>
        <body><h1>Development identity: error</h1><p>\(HTML.escape(message))</p></body></html>
        """
    }
}
