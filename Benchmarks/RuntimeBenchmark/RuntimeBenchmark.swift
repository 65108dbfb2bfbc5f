import Foundation
import Hummingbird
import Logging
import WorkersRuntime
import WorkersServer

/// Servers for the HTTP-layer benchmark (`Benchmarks/run-runtime.sh` drives them with wrk):
///
/// - `engine PORT`: a bare Hummingbird router answering "hello" (the physical reference);
/// - `worker PORT`: the same answer through WorkerServer and a Worker closure;
/// - `bearer PORT`: the same behind ``BearerTokenGuard`` (token `bench-token`);
/// - `json N`: in process, `JSONEncoder` against ``JSONWriter`` on two response bodies (``JSONTiming``).
@main
struct RuntimeBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let port = Int(arguments[2]) else {
            print("usage: runtime-benchmark engine|worker|bearer PORT, or runtime-benchmark json ITERATIONS")
            return
        }
        if arguments[1] == "json" { return try JSONTiming.run(iterations: port) }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        switch arguments[1] {
        case "engine":
            let router = Router()
            router.get("hello") { _, _ in "hello" }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
            try await app.runService()
        case "worker", "bearer":
            let hello = FetchHandler { _, _, _ in WorkersRuntime.Response.text("hello") }
            let worker =
                arguments[1] == "worker"
                ? Worker(fetch: hello)
                : Worker(fetch: hello.guarded(by: BearerTokenGuard(secretNames: ["MCP_SECRET_TOKEN"])))
            let server = WorkerServer(
                worker: worker,
                env: Env(secrets: ["MCP_SECRET_TOKEN": "bench-token"]),
                configuration: .init(host: "127.0.0.1", port: port, logRequests: false),
                logger: logger
            )
            try await server.run()
        default:
            print("unknown mode \(arguments[1])")
        }
    }
}
