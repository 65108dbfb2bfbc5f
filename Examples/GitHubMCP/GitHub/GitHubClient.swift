import Foundation
import HTTPTypes
import NIOCore
import WorkersRuntime

/// GitHub, reached through `env.fetch`: the OAuth web flow (upstream identity) and the REST API the tools call.
///
/// Base URLs come from the `GITHUB_OAUTH_BASE` and `GITHUB_API_BASE` vars (default `https://github.com` and
/// `https://api.github.com`) so tests and offline development can point them at a ``GitHubStandIn``.
struct GitHubClient: Sendable {
    /// Where GitHub is and who this app is to it.
    struct Configuration: Sendable {
        var oauthBase: URL
        var apiBase: URL
        var clientID: String
        var clientSecret: String
        var userAgent: String

        init(
            oauthBase: URL = URL(string: "https://github.com")!,
            apiBase: URL = URL(string: "https://api.github.com")!,
            clientID: String,
            clientSecret: String,
            userAgent: String = "swift-workers-github-mcp"
        ) {
            self.oauthBase = oauthBase
            self.apiBase = apiBase
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.userAgent = userAgent
        }

        /// Reads `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET`, `GITHUB_OAUTH_BASE` and `GITHUB_API_BASE` from `env`.
        init(env: Env) throws(GitHubError) {
            guard let clientID = env.GITHUB_CLIENT_ID, !clientID.isEmpty,
                let clientSecret = env.GITHUB_CLIENT_SECRET, !clientSecret.isEmpty
            else {
                throw GitHubError("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set (`github-mcp secret put ...`)")
            }
            func base(_ name: String, _ fallback: String) throws(GitHubError) -> URL {
                let value = env.string(name) ?? fallback
                guard let url = URL(string: value.hasSuffix("/") ? String(value.dropLast()) : value),
                    ["http", "https"].contains(url.scheme ?? "")
                else { throw GitHubError("\(name) is not an http(s) URL: \(value)") }
                return url
            }
            self.init(
                oauthBase: try base("GITHUB_OAUTH_BASE", "https://github.com"),
                apiBase: try base("GITHUB_API_BASE", "https://api.github.com"),
                clientID: clientID,
                clientSecret: clientSecret
            )
        }
    }

    let configuration: Configuration
    let fetcher: any Fetcher

    init(configuration: Configuration, fetcher: any Fetcher) {
        self.configuration = configuration
        self.fetcher = fetcher
    }

    /// A client configured from `env`, fetching through `env.fetcher`.
    init(env: Env) throws(GitHubError) {
        self.init(configuration: try Configuration(env: env), fetcher: env.fetcher)
    }

    /// GitHub's login page URL for this app.
    /// - Parameter browserBase: Where the browser reaches GitHub's web pages, when not at ``Configuration/oauthBase``
    ///   (the development identity is served on this server itself).
    func authorizeURL(redirectURI: String, state: String, scope: String, browserBase: URL? = nil) -> URL {
        let base = browserBase ?? configuration.oauthBase
        var components = URLComponents(url: base.appending(path: "login/oauth/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "client_id", value: configuration.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: scope),
            URLQueryItem(name: "state", value: state),
        ]
        return components.url!
    }

    /// Exchanges the code GitHub sent to the callback for GitHub's access token, with this app's client secret.
    func exchangeCode(_ code: String, redirectURI: String) async throws -> String {
        let form = URLEncodedForm([
            (name: "client_id", value: configuration.clientID),
            (name: "client_secret", value: configuration.clientSecret),
            (name: "code", value: code),
            (name: "redirect_uri", value: redirectURI),
        ])
        let request = Request(
            method: .post,
            url: configuration.oauthBase.appending(path: "login/oauth/access_token"),
            headers: [
                .contentType: "application/x-www-form-urlencoded",
                .accept: "application/json",
                .userAgent: configuration.userAgent,
            ],
            body: .init(string: form.encoded)
        )
        let response = try await fetcher.fetch(request)
        let json = try await Self.json(response)
        if let error = json["error"]?.stringValue {
            throw GitHubError("GitHub refused the code: \(error) (\(json["error_description"]?.stringValue ?? ""))")
        }
        guard response.status == .ok, let token = json["access_token"]?.stringValue, !token.isEmpty else {
            throw GitHubError("GitHub's token endpoint answered \(response.status.code) without a token")
        }
        return token
    }

    /// `GET /user`.
    func user(token: String) async throws -> GitHubUser {
        try await get("user", token: token).decode(as: GitHubUser.self)
    }

    /// `GET /user/repos`, most recently updated first.
    func repositories(token: String, perPage: Int = 30) async throws -> [GitHubRepository] {
        try await get("user/repos", query: ["per_page": String(perPage), "sort": "updated"], token: token)
            .decode(as: [GitHubRepository].self)
    }

    /// `GET /repos/{owner}/{repo}/issues/{number}`.
    func issue(owner: String, repo: String, number: Int, token: String) async throws -> GitHubIssue {
        try Self.checkRepository(owner, repo)
        return try await get("repos/\(owner)/\(repo)/issues/\(number)", token: token).decode(as: GitHubIssue.self)
    }

    /// `POST /repos/{owner}/{repo}/issues/{number}/comments`: the new comment's URL.
    func comment(owner: String, repo: String, number: Int, body: String, token: String) async throws -> String? {
        try Self.checkRepository(owner, repo)
        let created = try await send(
            .post, "repos/\(owner)/\(repo)/issues/\(number)/comments", body: ["body": .string(body)], token: token, expect: .created
        )
        return created["html_url"]?.stringValue
    }

    private static func checkRepository(_ owner: String, _ repo: String) throws(GitHubError) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !owner.isEmpty, !repo.isEmpty, owner.unicodeScalars.allSatisfy(allowed.contains),
            repo.unicodeScalars.allSatisfy(allowed.contains), repo != "..", repo != "."
        else { throw GitHubError("Invalid repository name \(owner)/\(repo)") }
    }

    private func get(_ path: String, query: [String: String] = [:], token: String) async throws -> JSONValue {
        try await send(.get, path, query: query, token: token, expect: .ok)
    }

    private func send(
        _ method: HTTPRequest.Method, _ path: String, query: [String: String] = [:], body: JSONValue? = nil, token: String,
        expect: HTTPResponse.Status
    ) async throws -> JSONValue {
        var components = URLComponents(url: configuration.apiBase.appending(path: path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var request = Request(
            method: method,
            url: components.url!,
            headers: [
                .authorization: "Bearer \(token)",
                .accept: "application/vnd.github+json",
                .userAgent: configuration.userAgent,
                HTTPField.Name("X-GitHub-Api-Version")!: "2022-11-28",
            ]
        )
        if let body {
            request.headers[.contentType] = "application/json"
            request.body = ByteBuffer(bytes: try JSONWriter.encode(body))
        }
        let response = try await fetcher.fetch(request)
        let json = try await Self.json(response)
        guard response.status == expect else {
            throw GitHubError("GitHub answered \(response.status.code): \(json["message"]?.stringValue ?? "no message")",
                status: response.status.code)
        }
        return json
    }

    private static func json(_ response: Response) async throws -> JSONValue {
        let body = try await response.body.collect(upTo: 5 * 1024 * 1024)
        return (try? JSONValue(parsing: Data(body.readableBytesView))) ?? .null
    }
}
