import Foundation
import WorkersKVPostgres
import WorkersRuntime
import WorkersServer

/// `swift run github-mcp`: an MCP server at `/mcp`, protected by the OAuth provider, with GitHub as the upstream
/// identity (or the built-in development identity when no GitHub credentials are configured).
///
/// Its `OAUTH_KV` namespace may be SQLite (the default), files, or PostgreSQL (`backend = "postgres"` in
/// `[[kv_namespaces]]`, with the connection URL in the `DATABASE_URL` secret) for several instances on several hosts.
@main
struct GitHubMCPApp {
    static func main() async {
        await WorkerCommand.main(kvBackends: [.postgres]) { env in try GitHubMCPWorker.make(env: env) }
    }
}
