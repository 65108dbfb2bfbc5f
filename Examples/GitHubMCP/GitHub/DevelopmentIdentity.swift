import Foundation
import GitHubStandIn
import HTTPTypes
import WorkersRuntime

/// The built-in GitHub stand-in `github-mcp` uses when no GitHub credentials are configured, so the whole flow runs
/// on a fresh machine with no network.
///
/// The browser reaches the stand-in's login page at `<origin>/__dev/github/login/oauth/authorize` on this same
/// server; the server's own calls (code exchange, `/user`, the tools' API calls) go to `http://github-stand-in.invalid`,
/// which ``Fetcher`` answers in-process. Nothing leaves the machine.
struct DevelopmentIdentity: Sendable {
    /// Where the server's own GitHub calls go (`GITHUB_OAUTH_BASE` and `GITHUB_API_BASE`).
    static let internalBase = URL(string: "http://github-stand-in.invalid")!
    /// Where the browser finds the stand-in on this server.
    static let mountPath = "/__dev/github"
    static let clientID = "github-mcp-development"

    let standIn: GitHubStandIn

    /// A stand-in with a fresh client secret for this process.
    init(clientSecret: String = RandomToken.base64URL(byteCount: 24)) {
        // A long-running server: record no requests (the stand-in's default, stated here on purpose); bodies,
        // codes and tokens are capped by the stand-in's defaults.
        standIn = GitHubStandIn(
            configuration: .init(clientID: Self.clientID, clientSecret: clientSecret, recordedRequestLimit: 0)
        )
    }

    /// `env` pointed at the stand-in: GitHub credentials, base URLs, and a fetcher that answers the stand-in's
    /// host in-process.
    func install(into env: Env) -> Env {
        var env = env
        env.secrets["GITHUB_CLIENT_ID"] = Self.clientID
        env.secrets["GITHUB_CLIENT_SECRET"] = standIn.configuration.clientSecret
        env.vars["GITHUB_OAUTH_BASE"] = .string(Self.internalBase.absoluteString)
        env.vars["GITHUB_API_BASE"] = .string(Self.internalBase.absoluteString)
        env.vars["GITHUB_DEVELOPMENT_IDENTITY"] = "true"
        env.fetcher = Fetcher(standIn: standIn, next: env.fetcher)
        return env
    }

    /// Whether `env` was set up by ``install(into:)``.
    static func isActive(in env: Env) -> Bool {
        env.string("GITHUB_DEVELOPMENT_IDENTITY") == "true"
    }

    /// The base URL of the login page for a browser that reached this server at `origin`.
    static func browserBase(origin: String) -> URL {
        URL(string: origin + mountPath)!
    }

    /// Answers a browser request under ``mountPath``, or `nil` for any other path.
    func handle(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response? {
        let path = request.path
        guard path.hasPrefix(Self.mountPath + "/") else { return nil }
        // The stand-in only ever sends the browser back to this server's /callback: not an open redirector.
        let redirectURI = request.method == .post ? (try? request.form())?["redirect_uri"] : request.query("redirect_uri")
        if let redirectURI, redirectURI != request.origin + "/callback" {
            return Response.text("redirect_uri must be \(request.origin)/callback", status: .badRequest)
        }
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = String(path.dropFirst(Self.mountPath.count))
        var inner = request
        inner.url = components.url ?? request.url
        return try await standIn.fetch(inner, env: env, ctx: ctx)
    }

    /// Sends requests for ``internalBase`` to the stand-in in-process, and everything else to `next`.
    struct Fetcher: WorkersRuntime.Fetcher {
        let standIn: GitHubStandIn
        let next: any WorkersRuntime.Fetcher

        func fetch(_ request: Request) async throws -> Response {
            guard request.url.origin == DevelopmentIdentity.internalBase.origin else { return try await next.fetch(request) }
            return try await standIn.fetch(request, env: Env(), ctx: ExecutionContext())
        }
    }
}
