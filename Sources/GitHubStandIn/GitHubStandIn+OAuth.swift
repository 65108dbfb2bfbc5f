import Foundation
import HTTPTypes
import Synchronization
import WorkersRuntime

extension GitHubStandIn {
    /// `GET /login/oauth/authorize`: the login page.
    func authorizePage(_ request: Request) -> Response {
        guard request.query("client_id") == configuration.clientID else {
            return Response.html(LoginPage.error("No OAuth app with this client_id exists."), status: .notFound)
        }
        guard let redirectURI = redirectURI(request.query("redirect_uri")) else {
            return Response.html(
                LoginPage.error("The redirect_uri is not associated with this application."), status: .badRequest)
        }
        let page = LoginPage.render(
            users: configuration.users,
            clientID: configuration.clientID,
            redirectURI: redirectURI,
            state: request.query("state") ?? "",
            scope: request.query("scope") ?? ""
        )
        return Response.html(page, headers: [.init("X-Frame-Options")!: "DENY"])
    }

    /// `POST /login/oauth/authorize`: the Authorize or Cancel button.
    func decide(_ request: Request) throws -> Response {
        let form = try request.form()
        guard form["client_id"] == configuration.clientID, let redirectURI = redirectURI(form["redirect_uri"]),
            var target = URLComponents(string: redirectURI)
        else {
            return Response.html(LoginPage.error("Invalid authorization request."), status: .badRequest)
        }
        var items = target.queryItems ?? []
        if form["decision"] == "cancel" {
            items.append(URLQueryItem(name: "error", value: "access_denied"))
            items.append(URLQueryItem(name: "error_description", value: "The user has denied your application access."))
        } else {
            guard let login = form["login"], configuration.users.contains(where: { $0.login == login }) else {
                return Response.html(LoginPage.error("Unknown account."), status: .badRequest)
            }
            let code = Self.randomAlphanumeric(20)
            let now = configuration.now()
            let pending = PendingCodes.Code(
                login: login,
                redirectURI: redirectURI,
                scope: form["scope"] ?? "",
                expires: now.addingTimeInterval(configuration.codeLifetime)
            )
            state.withLock { $0.codes.issue(code, pending, now: now) }
            items.append(URLQueryItem(name: "code", value: code))
        }
        if let state = form["state"], !state.isEmpty { items.append(URLQueryItem(name: "state", value: state)) }
        target.queryItems = items
        return try Response.redirect(target.url?.absoluteString ?? redirectURI, status: .found)
    }

    /// `POST /login/oauth/access_token`.
    func exchangeCode(_ request: Request) throws -> Response {
        var parameters: [String: String] = [:]
        for item in request.queryItems { parameters[item.name] = item.value }
        if request.mediaType == "application/json", let object = (try? request.json(as: JSONValue.self))?.objectValue {
            for (name, value) in object { parameters[name] = value.stringValue }
        } else if let form = try? request.form() {
            for (name, value) in form.pairs { parameters[name] = value }
        }
        let wantsJSON = request.header("Accept")?.lowercased().contains("application/json") ?? false

        guard parameters["client_id"] == configuration.clientID,
            let secret = parameters["client_secret"],
            SecureCompare.equals(secret, configuration.clientSecret)
        else {
            return try tokenError(
                "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.", json: wantsJSON)
        }
        let now = configuration.now()
        // Single use, even when the rest fails; expired codes are dropped on the way.
        let pending = state.withLock { $0.codes.take(parameters["code"], now: now) }
        guard let pending else {
            return try tokenError("bad_verification_code", "The code passed is incorrect or expired.", json: wantsJSON)
        }
        if let redirectURI = parameters["redirect_uri"], redirectURI != pending.redirectURI {
            return try tokenError(
                "redirect_uri_mismatch",
                "The redirect_uri MUST match the registered callback URL for this application.",
                json: wantsJSON
            )
        }
        let token = "gho_" + Self.randomAlphanumeric(36)
        state.withLock { state in
            while state.tokens.count >= configuration.maxIssuedTokens,
                let oldest = state.tokens.min(by: { $0.value.serial < $1.value.serial })?.key
            {
                state.tokens[oldest] = nil
            }
            state.tokensIssued += 1
            state.tokens[token] = IssuedToken(login: pending.login, scope: pending.scope, serial: state.tokensIssued)
        }
        let fields: [(String, String)] = [("access_token", token), ("token_type", "bearer"), ("scope", pending.scope)]
        return try tokenResponse(fields, json: wantsJSON)
    }

    private func tokenError(_ code: String, _ description: String, json: Bool) throws -> Response {
        let uri = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#"
            + code.replacingOccurrences(of: "_", with: "-")
        return try tokenResponse([("error", code), ("error_description", description), ("error_uri", uri)], json: json)
    }

    private func tokenResponse(_ fields: [(String, String)], json: Bool) throws -> Response {
        if json {
            return try Response.json(Dictionary(uniqueKeysWithValues: fields))
        }
        let body = URLEncodedForm(fields.map { (name: $0.0, value: $0.1) }).encoded
        return Response(
            headers: [.contentType: "application/x-www-form-urlencoded; charset=utf-8"],
            body: ResponseBody(string: body)
        )
    }

    /// The `redirect_uri` when it is allowed for the app (defaulting to the callback URL), else `nil`.
    private func redirectURI(_ value: String?) -> String? {
        guard let callback = configuration.callbackURL else {
            guard let value, let url = URL(string: value), ["http", "https"].contains(url.scheme ?? "") else { return nil }
            return value
        }
        guard let value, !value.isEmpty else { return callback.absoluteString }
        guard let url = URL(string: value), url.origin == callback.origin,
            url.path == callback.path || url.path.hasPrefix(callback.path.hasSuffix("/") ? callback.path : callback.path + "/"),
            !url.path.contains("..")
        else { return nil }
        return value
    }
}
