import ArgumentParser
import Foundation
import GitHubStandIn
import Logging
import WorkersRuntime
import WorkersServer

/// `github-stand-in`: the development GitHub as a process of its own, so that several `github-mcp` instances share
/// one identity provider (its codes and tokens live in this process, not in each instance).
///
/// It serves GitHub's paths at its root (`/login/oauth/authorize`, `/login/oauth/access_token`, `/user`,
/// `/user/repos`, `/repos/{owner}/{repo}/issues/{n}`); point `GITHUB_OAUTH_BASE` and `GITHUB_API_BASE` of every
/// instance at `http://127.0.0.1:PORT` and give them `--client-id` / `--client-secret` as `GITHUB_CLIENT_ID` and
/// `GITHUB_CLIENT_SECRET`. For development and tests only: its login page signs anyone in as the development user.
@main
struct GitHubStandInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "github-stand-in",
        abstract: "Serve a development stand-in for GitHub's OAuth web flow and API (not a real GitHub)."
    )

    @Option(help: "Port to listen on (0: any free port, printed at start).") var port: Int = 8790
    @Option(help: "Interface to listen on.") var host: String = "127.0.0.1"
    @Option(help: "The OAuth app's client id (GITHUB_CLIENT_ID of the instances).") var clientId: String
    @Option(help: "The OAuth app's client secret (GITHUB_CLIENT_SECRET of the instances).") var clientSecret: String
    @Option(help: ArgumentHelp("The app's callback URL; a redirect_uri must be it or below it (default: any).", valueName: "URL"))
    var callbackUrl: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard !clientId.isEmpty, !clientSecret.isEmpty else { throw ValidationError("--client-id and --client-secret must not be empty") }
        if let callbackUrl, URL(string: callbackUrl)?.host == nil { throw ValidationError("--callback-url must be an absolute URL") }
    }

    func run() async throws {
        var logger = Logger(label: "github-stand-in")
        logger.logLevel = .warning
        let standIn = GitHubStandIn(
            configuration: .init(clientID: clientId, clientSecret: clientSecret, callbackURL: callbackUrl.flatMap(URL.init(string:)))
        )
        let server = WorkerServer(
            worker: Worker(fetch: standIn),
            env: Env(),
            configuration: .init(host: host, port: port, logRequests: false),
            logger: logger
        )
        let host = host
        try await server.run { port in
            FileHandle.standardOutput.write(Data("github-stand-in listening on http://\(host):\(port) (DEVELOPMENT IDENTITY, not GitHub)\n".utf8))
        }
    }
}
