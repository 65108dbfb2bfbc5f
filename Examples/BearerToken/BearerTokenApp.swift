import WorkersRuntime
import WorkersServer

/// `swift run bearer-token`: a worker protected by one static secret.
@main
struct BearerTokenApp {
    static func main() async {
        await WorkerCommand.main { env in try BearerTokenWorker.make(env: env) }
    }
}
