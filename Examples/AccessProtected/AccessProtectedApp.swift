import WorkersAccess
import WorkersRuntime
import WorkersServer

/// `swift run access-protected`: an MCP server behind an identity-aware proxy's signed assertions.
@main
struct AccessProtectedApp {
    static func main() async {
        await WorkerCommand.main(protections: [.access]) { env in try AccessProtectedWorker.make(env: env) }
    }
}
