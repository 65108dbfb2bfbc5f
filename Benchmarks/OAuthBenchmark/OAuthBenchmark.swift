import Foundation
import Logging
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersServer

/// The OAuth provider benchmark (`Benchmarks/run-oauth.sh` drives it with wrk):
///
/// KVDIR is a directory (`KVDIR/OAUTH_KV.sqlite`) or a `postgres://` URL (namespace `OAUTH_KV` of PostgresKV).
///
/// - `mint PORT KVDIR OUTDIR CODES REFRESH [--jwt 1]`: registers the benchmark client in the store, mints
///   `REFRESH` grants through the code flow and checks that one refresh token can be presented repeatedly, checks
///   an API call, then pre-mints `CODES` single-use authorization codes. Writes to `OUTDIR`: `access-token`,
///   `client-authorization` (the Basic header), `refresh-bodies.txt`, `code-bodies.txt` (one form body a line) and
///   `introspect-body.txt` (the access token as an introspection form). `--jwt 1`: the tokens are JWTs.
/// - `serve PORT KVDIR [--listen PORT2] [--token-cache-ms MS] [--metrics-port PORT3] [--jwt 1]`: serves the provider
///   over that store (`GET /mcp` is the protected API, `POST /token` the token endpoint, `POST /introspect`
///   introspection; `--jwt 1`: JWT access tokens) on 127.0.0.1:PORT, or on PORT2 behind a proxy that
///   listens on PORT (tokens are bound to `http://127.0.0.1:PORT/mcp`); `--token-cache-ms` sets
///   `verifiedTokenCacheTTL`; `--metrics-port` turns metrics on, scraped at `http://127.0.0.1:PORT3/metrics`
///   (`Benchmarks/run-metrics.sh`).
///
/// Run `mint` first (with the port `serve` will use: tokens are bound to `http://127.0.0.1:PORT/mcp`), and start
/// the run within 10 minutes (codes expire after 600 s).
@main
struct OAuthBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        var logger = Logger(label: "oauth-bench")
        logger.logLevel = .warning
        switch (arguments.count > 1 ? arguments[1] : "", arguments.count) {
        case ("serve", 4...):
            guard let port = Int(arguments[2]) else { return usage() }
            var setup = BenchmarkSetup(port: port, store: arguments[3])
            var rest = arguments.dropFirst(4)
            while let flag = rest.popFirst() {
                guard let value = rest.popFirst().flatMap(Int.init) else { return usage() }
                switch flag {
                case "--listen": setup.listenPort = value
                case "--token-cache-ms": setup.verifiedTokenCacheMilliseconds = value
                case "--metrics-port": setup.metricsPort = value
                case "--jwt": setup.jwt = value != 0
                default: return usage()
                }
            }
            try await serve(setup, logger: logger)
        case ("mint", 7), ("mint", 9):
            guard let port = Int(arguments[2]), let codes = Int(arguments[5]), let refresh = Int(arguments[6]),
                codes >= 0, refresh >= 1
            else { return usage() }
            var setup = BenchmarkSetup(port: port, store: arguments[3])
            if arguments.count == 9 {
                guard arguments[7] == "--jwt", let jwt = Int(arguments[8]) else { return usage() }
                setup.jwt = jwt != 0
            }
            try await mint(setup, output: URL(fileURLWithPath: arguments[4]), codes: codes, refresh: refresh, logger: logger)
        case ("time", 6), ("time", 7):
            guard let port = Int(arguments[2]), let iterations = Int(arguments[5]) else { return usage() }
            var setup = BenchmarkSetup(port: port, store: arguments[3])
            // A JWT in OUTDIR (minted with --jwt 1) needs the provider that issued it.
            let minted = try? String(contentsOf: URL(fileURLWithPath: arguments[4]).appendingPathComponent("access-token"), encoding: .utf8)
            setup.jwt = minted.map { !$0.contains(":") } ?? false
            let kv = try setup.openKV()
            let minter = try Minter(setup: setup, provider: try setup.provider(logger: logger), env: setup.env(kv: kv))
            try await InProcessTiming.run(
                setup, output: URL(fileURLWithPath: arguments[4]), iterations: iterations, minter: minter,
                apiOnly: arguments.count == 7 && arguments[6] == "api"
            )
            try await kv.close()
        default:
            usage()
        }
    }

    static func usage() {
        print("usage: oauth-benchmark serve PORT KVDIR [--listen PORT] [--token-cache-ms MS] [--metrics-port PORT] [--jwt 1] | mint PORT KVDIR OUTDIR CODES REFRESH [--jwt 1] | time PORT KVDIR OUTDIR N [api]")
        exit(2)
    }

    static func serve(_ setup: BenchmarkSetup, logger: Logger) async throws {
        let kv = try setup.openKV()
        let server = WorkerServer(
            worker: Worker(fetch: try setup.provider(logger: logger)),
            env: setup.env(kv: kv),
            configuration: .init(
                host: "127.0.0.1", port: setup.listenPort ?? setup.port, logRequests: false,
                metricsListen: setup.metricsPort.map { ListenAddress(host: "127.0.0.1", port: $0) }
            ),
            logger: logger
        )
        try await server.run()
        try await kv.close()
    }

    static func mint(_ setup: BenchmarkSetup, output: URL, codes: Int, refresh: Int, logger: Logger) async throws {
        let kv = try setup.openKV()
        let minter = try Minter(setup: setup, provider: try setup.provider(logger: logger), env: setup.env(kv: kv))
        try await minter.registerClient()

        // Grants for the refresh-token run, through the real code exchange (which also checks the body format).
        var refreshTokens: [String] = []
        var accessToken = ""
        for code in try await minter.mintCodes(refresh) {
            let (status, tokens) = try await minter.postToken(Minter.codeBody(code))
            guard let tokens else { throw Minter.Failure(description: "code exchange answered \(status)") }
            refreshTokens.append(tokens.refreshToken)
            accessToken = tokens.accessToken
        }

        // The rotation model: the presented token becomes `previous`, so presenting it again is valid.
        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await minter.postToken(Minter.refreshBody(refreshTokens[0])).status)
        }
        guard statuses == [200, 200, 200] else {
            throw Minter.Failure(description: "presenting one refresh token three times answered \(statuses)")
        }
        print("refresh rotation: one refresh token presented 3 times -> \(statuses)")
        // The answer names the grant's user: the props were decrypted.
        let api = try await minter.callAPI(accessToken)
        guard api.status == 200, api.body.hasPrefix("hello user") else {
            throw Minter.Failure(description: "GET /mcp with a fresh token answered \(api.status) \(api.body)")
        }

        let start = ContinuousClock.now
        let minted = try await minter.mintCodes(codes)
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print(String(format: "minted %d codes in %.1f s (%.0f/s)", minted.count, seconds, Double(minted.count) / max(seconds, 1e-9)))

        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        func write(_ name: String, _ lines: [String]) throws {
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: output.appendingPathComponent(name))
        }
        try write("access-token", [accessToken])
        try write("introspect-body.txt", ["token=" + Minter.formEncode(accessToken)])
        try write("client-authorization", [Minter.basicAuthorization])
        try write("refresh-bodies.txt", refreshTokens.map(Minter.refreshBody))
        try write("code-bodies.txt", minted.map(Minter.codeBody))
        try await kv.close()
    }
}
