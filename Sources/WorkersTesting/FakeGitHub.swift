public import Foundation
public import GitHubStandIn
import HTTPTypes
import NIOHTTP1
import WorkersRuntime

/// A ``GitHubStandIn/GitHubStandIn`` running on a live loopback server: GitHub's OAuth web flow and REST API for
/// tests, with the requests it receives recorded (the newest 1,000 by default).
///
/// ```swift
/// let github = try await FakeGitHub.start(configuration: .init(clientID: "id", clientSecret: "secret"))
/// env.vars["GITHUB_OAUTH_BASE"] = .string(github.baseURL.absoluteString)
/// ...
/// #expect(!github.requests.contains { $0.contains(mcpAccessToken) })
/// try await github.stop()
/// ```
public final class FakeGitHub: Sendable {
    /// The stand-in answering requests.
    public let standIn: GitHubStandIn
    /// The server it runs on.
    public let server: LiveServer

    private init(standIn: GitHubStandIn, server: LiveServer) {
        self.standIn = standIn
        self.server = server
    }

    /// Starts a stand-in on a free loopback port.
    /// - Parameters:
    ///   - configuration: The stand-in's settings.
    ///   - recordedRequestLimit: How many of the newest requests ``requests`` keeps (replacing the
    ///     configuration's value, which records nothing by default); 1,000 by default.
    public static func start(
        configuration: GitHubStandIn.Configuration = .init(),
        recordedRequestLimit: Int = 1_000
    ) async throws -> FakeGitHub {
        var configuration = configuration
        configuration.recordedRequestLimit = recordedRequestLimit
        let standIn = GitHubStandIn(configuration: configuration)
        let server = try await LiveServer.start(worker: Worker(fetch: standIn))
        return FakeGitHub(standIn: standIn, server: server)
    }

    /// `http://127.0.0.1:<port>`: both the OAuth base and the API base.
    public var baseURL: URL { server.baseURL }

    /// The newest requests received, oldest first.
    public var requests: [RecordedRequest] { standIn.requests }

    /// Stops the server.
    public func stop() async throws {
        try await server.stop()
    }

    /// Plays the user on the login page: loads `authorizeURL` (a `/login/oauth/authorize` URL) and presses
    /// Authorize (or Cancel) for account `login`; returns the `Location` GitHub redirects the browser to.
    public func approve(_ authorizeURL: URL, as login: String? = nil, cancel: Bool = false) async throws -> URL {
        let client = TestClient()
        let page = try await client.send(.get, authorizeURL)
        guard page.status == 200 else { throw FakeGitHubError(message: "login page answered \(page.status)") }
        let query = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false)?.queryItems ?? []
        var form: [(String, String)] = ["client_id", "redirect_uri", "state", "scope"].compactMap { name in
            query.first { $0.name == name }?.value.map { (name, $0) }
        }
        form.append(("login", login ?? standIn.configuration.users.first?.login ?? ""))
        form.append(("decision", cancel ? "cancel" : "authorize"))
        let response = try await client.postForm(url("/login/oauth/authorize"), form)
        guard response.status == 302, let location = response.header("Location"), let url = URL(string: location) else {
            throw FakeGitHubError(message: "approval answered \(response.status): \(response.text)")
        }
        return url
    }

    /// The absolute URL of `path` on the stand-in.
    public func url(_ path: String) -> URL { server.url(path) }
}

/// A ``FakeGitHub`` helper step failed.
public struct FakeGitHubError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }

    /// Creates an error with its message.
    public init(message: String) { self.message = message }
}
