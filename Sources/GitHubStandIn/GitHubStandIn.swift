import Foundation
import HTTPTypes
import Synchronization
public import WorkersRuntime

/// A small stand-in for GitHub that speaks its OAuth web flow and a slice of its REST API, for tests and for
/// offline development ("development identity").
///
/// It serves, on one origin, what GitHub splits over `github.com` and `api.github.com`:
/// - `GET /login/oauth/authorize`: a login page, labelled "development identity", whose Authorize button
///   redirects to `redirect_uri?code=…&state=…` (Cancel: `error=access_denied`).
/// - `POST /login/oauth/access_token`: exchanges a single-use code for a `gho_…` token (form or JSON body; JSON
///   answer when asked with `Accept: application/json`, else form-encoded). Failures are `200` with an `error`
///   member, as GitHub does.
/// - `GET /user`, `GET /user/repos`, `GET /repos/{owner}/{repo}/issues/{number}` and
///   `POST /repos/{owner}/{repo}/issues/{number}/comments` (needs the `public_repo` or `repo` scope) with
///   `Authorization: Bearer <t>` or `token <t>` and a `User-Agent` (GitHub rejects requests without one).
///
/// The newest ``Configuration/recordedRequestLimit`` requests are recorded in ``requests`` (none by default).
/// Memory stays bounded whatever clients send: bodies over ``Configuration/maxRequestBodySize`` get `413`,
/// unexchanged codes expire and are capped, and so are issued tokens.
///
/// ```swift
/// let github = GitHubStandIn(configuration: .init(clientID: "id", clientSecret: "secret"))
/// let server = try await LiveServer.start(worker: Worker(fetch: github))
/// ```
public final class GitHubStandIn: FetchHandling, Sendable {
    /// The settings.
    public let configuration: Configuration
    let state: Mutex<State>

    struct State {
        var codes: PendingCodes
        var tokens: [String: IssuedToken] = [:]
        var tokensIssued = 0
        var requests: RingBuffer<RecordedRequest>
        var comments = RingBuffer<PostedComment>(capacity: GitHubStandIn.commentLimit)
        var commentsPosted = 0
    }

    /// An access token and what it grants; `serial` orders tokens by issue, oldest evicted first.
    struct IssuedToken {
        let login: String
        let scope: String
        let serial: Int
    }

    /// Creates a stand-in.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = Mutex(
            State(
                codes: PendingCodes(limit: configuration.maxOutstandingCodes),
                requests: RingBuffer(capacity: configuration.recordedRequestLimit)
            )
        )
    }

    /// The newest ``Configuration/recordedRequestLimit`` requests received, oldest first.
    public var requests: [RecordedRequest] {
        state.withLock { $0.requests.elements }
    }

    /// How many authorization codes have been issued and neither exchanged nor expired.
    public var outstandingCodeCount: Int {
        state.withLock { $0.codes.count }
    }

    /// The access tokens issued so far.
    public var issuedTokens: [String] {
        state.withLock { Array($0.tokens.keys) }
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        guard request.data.count <= configuration.maxRequestBodySize else {
            return try Self.apiError(.contentTooLarge, "Request body is larger than \(configuration.maxRequestBodySize) bytes")
        }
        record(request)
        let segments = request.path.split(separator: "/").map(String.init)
        switch (request.method, segments) {
        case (.get, ["login", "oauth", "authorize"]):
            return authorizePage(request)
        case (.post, ["login", "oauth", "authorize"]):
            return try decide(request)
        case (.post, ["login", "oauth", "access_token"]):
            return try exchangeCode(request)
        case (.get, ["user"]):
            return try api(request) { user, _ in try Response.json(Self.userJSON(user)) }
        case (.get, ["user", "repos"]):
            return try api(request) { user, _ in try Response.json(self.repositoriesJSON(of: user, request: request)) }
        case (.get, let path) where path.count == 5 && path[0] == "repos" && path[3] == "issues":
            return try api(request) { user, _ in try self.issue(owner: path[1], repo: path[2], number: path[4], for: user) }
        case (.post, let path) where path.count == 6 && path[0] == "repos" && path[3] == "issues" && path[5] == "comments":
            return try api(request) { user, scope in
                try self.comment(owner: path[1], repo: path[2], number: path[4], request: request, by: user, scope: scope)
            }
        default:
            return try Self.apiError(.notFound, "Not Found")
        }
    }

    private func record(_ request: Request) {
        guard configuration.recordedRequestLimit > 0 else { return }
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let target = request.path + (components?.percentEncodedQuery.map { "?\($0)" } ?? "")
        let headers = request.headers.map {
            RecordedRequest.Header(name: $0.name.canonicalName, value: $0.value)
        }
        let recorded = RecordedRequest(method: request.method.rawValue, target: target, headers: headers, body: request.text)
        state.withLock { $0.requests.append(recorded) }
    }

    /// A GitHub-style API error: `{"message": …, "documentation_url": …, "status": …}`.
    static func apiError(_ status: HTTPResponse.Status, _ message: String) throws -> Response {
        try Response.json(
            [
                "message": JSONValue.string(message),
                "documentation_url": "https://docs.github.com/rest",
                "status": .string(String(status.code)),
            ],
            status: status
        )
    }

    /// A random string of letters and digits.
    static func randomAlphanumeric(_ count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
