import WorkersRuntime
import WorkersServer

/// `swift run notes-mcp`: a second MCP server, a resource server that trusts an OAuth authorization server it does
/// not share a store with (`github-mcp`'s, for one). See ``NotesMCPWorker`` for its configuration.
@main
struct NotesMCPApp {
    static func main() async {
        await WorkerCommand.main { env in try NotesMCPWorker.make(env: env) }
    }
}
