import Foundation
import HTTPTypes
import Logging
import WorkersOAuthResourceServer
import WorkersRuntime
import WorkersServer

/// Servers and timings for the resource server benchmark (`Benchmarks/run-resource-server.sh`):
///
/// - `hello PORT`: a Worker answering "hello" (the reference);
/// - `protected PORT TOKEN_FILE`: the same behind ``OAuthResourceServer`` trusting an in-process authorization
///   server (``InProcessAuthorizationServer``); writes one valid JWT to `TOKEN_FILE` for wrk's repeat calls;
/// - `verify N`: in process, the first-call cost of verifying N distinct JWTs (signature and claims, keys already
///   cached), and the cost of a repeat check of one JWT (the verified-JWT cache), in µs.
@main
struct ResourceServerBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        switch (arguments.count > 1 ? arguments[1] : "", arguments.count) {
        case ("hello", 3):
            try await serve(Worker(fetch: hello), port: Int(arguments[2])!, logger: logger)
        case ("protected", 4):
            let authorizationServer = InProcessAuthorizationServer()
            let resourceServer = try makeResourceServer(authorizationServer, logger: logger)
            let token = try await authorizationServer.accessToken(jti: "bench")
            try token.write(toFile: arguments[3], atomically: true, encoding: .utf8)
            try await serve(Worker(fetch: hello.guarded(by: resourceServer)), port: Int(arguments[2])!, logger: logger)
        case ("verify", 3):
            try await verify(count: Int(arguments[2])!, logger: logger)
        default:
            print("usage: resource-server-benchmark hello PORT | protected PORT TOKEN_FILE | verify N")
        }
    }

    static let hello = FetchHandler { _, _, _ in Response.text("hello") }

    static func makeResourceServer(_ authorizationServer: InProcessAuthorizationServer, logger: Logger) throws -> OAuthResourceServer {
        try OAuthResourceServer(
            configuration: .init(resource: InProcessAuthorizationServer.resource, issuer: InProcessAuthorizationServer.issuer),
            fetcher: authorizationServer,
            logger: logger
        )
    }

    static func serve(_ worker: Worker, port: Int, logger: Logger) async throws {
        let server = WorkerServer(
            worker: worker, env: Env(), configuration: .init(host: "127.0.0.1", port: port, logRequests: false), logger: logger
        )
        try await server.run()
    }

    static func verify(count: Int, logger: Logger) async throws {
        let authorizationServer = InProcessAuthorizationServer()
        let resourceServer = try makeResourceServer(authorizationServer, logger: logger)
        var tokens: [String] = []
        for index in 0..<(count + 1) { tokens.append(try await authorizationServer.accessToken(jti: "t\(index)")) }
        // Warm up: discovery and the key set, once.
        guard try await check(resourceServer, tokens.removeLast()) else { fatalError("the warm-up token was refused") }
        let clock = ContinuousClock()
        let first = try await clock.measure {
            for token in tokens {
                if try await !check(resourceServer, token) { fatalError("a token was refused") }
            }
        }
        let repeated = try await clock.measure {
            for _ in 0..<count {
                if try await !check(resourceServer, tokens[0]) { fatalError("a token was refused") }
            }
        }
        func micros(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12) / Double(count)
        }
        print(String(format: "first call (verify a new ES256 JWT): %8.1f µs per token (%d tokens)", micros(first), count))
        print(String(format: "repeat call (verified-JWT cache):    %8.2f µs per check", micros(repeated)))
    }

    static func check(_ resourceServer: OAuthResourceServer, _ token: String) async throws -> Bool {
        var request = try Request(url: InProcessAuthorizationServer.resource)
        request.headers[.authorization] = "Bearer \(token)"
        if case .allow = try await resourceServer.check(request, env: Env()) { return true }
        return false
    }
}
