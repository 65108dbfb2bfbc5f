import Foundation
import WorkersRuntime
import WorkersServer

/// `swift run github-mcp`: an MCP server at `/mcp`, protected by the OAuth provider, with GitHub as the upstream
/// identity (or the built-in development identity when no GitHub credentials are configured).
@main
struct GitHubMCPApp {
    static func main() async {
        await WorkerCommand.main { env in try GitHubMCPWorker.make(env: env) }
    }
}
