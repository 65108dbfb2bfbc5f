import Crypto
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

/// The opt-in Prometheus endpoint (docs/operations.md), scraped over a real socket from real binaries in child
/// processes (swift-metrics is bootstrapped once per process, so each server under test gets its own process).
@Suite("Prometheus metrics of a real server")
struct MetricsTests {
    static let fixture = ChildServer.sibling("conformance-fixture")
    static let bearerToken = ChildServer.sibling("bearer-token")
    static let origin = "https://mcp.example.com"
    static let callback = "https://client.example.com/callback"
    let client = TestClient()

    @Test("after an OAuth flow the scrape counts requests by route and status, tokens, errors, reuse, refusals and KV latency")
    func oauthFlow() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.fixture.path), "build with swift build --build-tests")
        let kvDir = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: kvDir) }
        let metricsPort = try #require(LoopbackPort.free())
        let server = try ChildServer.start(
            Self.fixture,
            arguments: [
                "--port", "0", "--origin", Self.origin, "--canonical-resource", "--kv-dir", kvDir.path, "--rate-limits",
                "--metrics-listen", "127.0.0.1:\(metricsPort)",
            ],
            announcement: .standardOutput
        )

        // Discovery, then dynamic registration of a public client.
        #expect(try await client.send(.get, server.url("/.well-known/oauth-authorization-server")).status == 200)
        let registration: JSONValue = [
            "redirect_uris": [.string(Self.callback)], "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        ]
        let registered = try await client.send(
            .post, server.url("/oauth/register"), headers: [("Content-Type", "application/json")], body: registration.jsonString)
        #expect(registered.status == 201)
        let clientID = try #require(registered.json?["client_id"]?.stringValue)

        // Authorization (the fixture consents by itself), an authorization request for an unknown client, the code.
        let verifier = RandomToken.base64URL(byteCount: 32)
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
        let authorize = try await client.send(.get, server.url("/authorize?\(Self.authorizeQuery(clientID: clientID, challenge: challenge))"))
        #expect(authorize.status == 302)
        let unknown = try await client.send(.get, server.url("/authorize?\(Self.authorizeQuery(clientID: "nobody", challenge: challenge))"))
        #expect(unknown.status >= 400)
        let location = try #require(authorize.header("location").flatMap(URLComponents.init(string:)))
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        let tokens = try await client.postForm(server.url("/oauth/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.callback), ("code_verifier", verifier),
            ("client_id", clientID), ("resource", "\(Self.origin)/mcp"),
        ])
        #expect(tokens.status == 200)
        let access = try #require(tokens.json?["access_token"]?.stringValue)
        let first = try #require(tokens.json?["refresh_token"]?.stringValue)

        // The API with the token and with a bad one.
        let api = try await client.send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer \(access)")])
        #expect(api.status == 200)
        let badAPI = try await client.send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer \(clientID):x:y")])
        #expect(badAPI.status == 401)

        // Two rotations, then the first refresh token again: reuse, the grant is revoked.
        let second = try await refresh(first, clientID: clientID, server: server)
        _ = try await refresh(second, clientID: clientID, server: server)
        let reuse = try await client.postForm(server.url("/oauth/token"), [
            ("grant_type", "refresh_token"), ("refresh_token", first), ("client_id", clientID),
        ])
        #expect(reuse.status == 400)
        #expect(reuse.json?["error"] == "invalid_grant")

        // A grant type the server does not serve.
        let unsupported = try await client.postForm(server.url("/oauth/token"), [
            ("grant_type", "password"), ("client_id", clientID), ("username", "u"), ("password", "p"),
        ])
        #expect(unsupported.status == 400)

        // Registrations from one address until the limiter refuses (burst 10, one used above; a slow machine may
        // refill a token or two meanwhile, at 20 a minute).
        var registrations = 1
        var refused = false
        for _ in 0..<40 where !refused {
            let status = try await client.send(
                .post, server.url("/oauth/register"), headers: [("Content-Type", "application/json")], body: registration.jsonString
            ).status
            #expect(status == 201 || status == 429)
            if status == 201 { registrations += 1 } else { refused = true }
        }
        #expect(refused)
        #expect(registrations >= 10)

        try await Self.waitUntilAccepting(metricsPort)
        let scraped = try await client.send(.get, URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
        let notFound = try await client.send(.get, URL(string: "http://127.0.0.1:\(metricsPort)/")!)
        #expect(await server.stop() == 0)
        #expect(scraped.status == 200)
        #expect(scraped.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(notFound.status == 404)
        let scrape = try PrometheusScrape(parsing: scraped.text)

        let requests = "workers_http_requests_total"
        #expect(scrape.types[requests] == "counter")
        #expect(scrape.value(requests, ["route": "metadata", "status": "200"]) == 1)
        #expect(scrape.value(requests, ["route": "register", "status": "201"]) == Double(registrations))
        #expect(scrape.value(requests, ["route": "register", "status": "429"]) == 1)
        #expect(scrape.value(requests, ["route": "authorize", "status": "302"]) == 1)
        #expect(scrape.value(requests, ["route": "token", "status": "200"]) == 3)
        #expect(scrape.value(requests, ["route": "token", "status": "400"]) == 2)
        #expect(scrape.value(requests, ["route": "api", "status": "200"]) == 1)
        #expect(scrape.value(requests, ["route": "api", "status": "401"]) == 1)
        let sent = 1 + (registrations + 1) + 2 + 5 + 2  // metadata, register, authorize, token, api
        #expect(scrape.samples(requests).map(\.value).reduce(0, +) == Double(sent), "every request counted once: \(scrape.samples(requests))")

        let duration = "workers_http_request_duration_seconds"
        #expect(scrape.types[duration] == "histogram")
        #expect(scrape.value(duration + "_count", ["route": "token"]) == 5)
        #expect(scrape.value(duration + "_bucket", ["route": "token", "le": "+Inf"]) == 5)
        #expect((scrape.value(duration + "_sum", ["route": "token"]) ?? 0) > 0)

        #expect(scrape.value("oauth_tokens_issued_total", ["grant_type": "authorization_code"]) == 1)
        #expect(scrape.value("oauth_tokens_issued_total", ["grant_type": "refresh_token"]) == 2)
        #expect(scrape.value("oauth_refresh_token_reuse_total") == 1)
        let errors = "oauth_errors_total"
        #expect(scrape.value(errors, ["endpoint": "token", "error": "invalid_grant"]) == 1)
        #expect(scrape.value(errors, ["endpoint": "token", "error": "unsupported_grant_type"]) == 1)
        #expect(scrape.value(errors, ["endpoint": "api", "error": "invalid_token"]) == 1)
        #expect(scrape.value(errors, ["endpoint": "register", "error": "temporarily_unavailable"]) == 1)
        #expect(scrape.samples(errors, matching: ["endpoint": "authorize"]).map(\.value).reduce(0, +) == 1)
        #expect(scrape.value("oauth_rate_limited_total", ["limiter": "registration"]) == 1)

        let kv = "workers_kv_operation_duration_seconds"
        #expect(scrape.types[kv] == "histogram")
        for operation in ["get", "commit"] {
            #expect((scrape.value(kv + "_count", ["operation": operation, "backend": "sqlite"]) ?? 0) > 0, "\(operation)")
        }

        // No label carries a client id, a token, or a path.
        for sample in scrape.samples {
            for value in sample.labels.values {
                #expect(!value.contains(clientID) && !value.contains("/") && !value.contains(access), "\(sample)")
            }
        }
    }

    @Test("serve --metrics-listen opens a second listener whose scrape counts the worker's requests; without it only one")
    func serveFlag() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.bearerToken.path), "build with swift build --build-tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name = \"metrics-test\"\n".write(to: directory.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        try "MCP_SECRET_TOKEN=tok\n".write(to: directory.appendingPathComponent(".dev.vars"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.appendingPathComponent(".dev.vars").path)

        let off = try ChildServer.start(Self.bearerToken, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0"], in: directory)
        #expect(try await client.send(.get, off.url("/x"), headers: [("Authorization", "Bearer tok")]).status == 200)
        let listenersOff = Self.listeningSockets(of: off.process.processIdentifier)
        #expect(await off.stop(signal: SIGTERM) == 0)
        #expect(listenersOff == 1, "metrics off: only the worker's listener")

        let metricsPort = try #require(LoopbackPort.free())
        let on = try ChildServer.start(
            Self.bearerToken, arguments: ["serve", "--ip", "127.0.0.1", "--port", "0", "--metrics-listen", "127.0.0.1:\(metricsPort)"],
            in: directory)
        try await Self.waitUntilAccepting(metricsPort)
        #expect(try await client.send(.get, on.url("/x"), headers: [("Authorization", "Bearer tok")]).status == 200)
        #expect(try await client.send(.get, on.url("/x")).status == 401)
        #expect(try await client.send(.get, on.url("/y")).status == 401)
        let listenersOn = Self.listeningSockets(of: on.process.processIdentifier)
        let scraped = try await client.send(.get, URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
        #expect(await on.stop(signal: SIGTERM) == 0)
        #expect(listenersOn == 2)
        let scrape = try PrometheusScrape(parsing: scraped.text)
        #expect(scrape.value("workers_http_requests_total", ["route": "other", "status": "200"]) == 1)
        #expect(scrape.value("workers_http_requests_total", ["route": "other", "status": "401"]) == 2)
        #expect(scrape.value("workers_http_request_duration_seconds_count", ["route": "other"]) == 3)
    }

    @Test("serve refuses a malformed --metrics-listen with a clear error")
    func malformedFlag() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.bearerToken.path), "build with swift build --build-tests")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name = \"metrics-test\"\n".write(to: directory.appendingPathComponent("wrangler.toml"), atomically: true, encoding: .utf8)
        let run = try await WorkerCommandTests.run(["serve", "--port", "0", "--metrics-listen", "9464"], in: directory)
        #expect(run.status != 0)
        #expect(run.stderr.contains("--metrics-listen must be HOST:PORT"), "\(run.stderr)")
    }

    func refresh(_ token: String, clientID: String, server: ChildServer) async throws -> String {
        let response = try await client.postForm(server.url("/oauth/token"), [
            ("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", clientID),
        ])
        #expect(response.status == 200)
        return try #require(response.json?["refresh_token"]?.stringValue)
    }

    /// Waits (at most 5 s) until the metrics listener, started alongside the worker's, accepts connections.
    static func waitUntilAccepting(_ port: Int) async throws {
        for _ in 0..<100 where !LoopbackPort.accepts(port) {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func authorizeQuery(clientID: String, challenge: String) -> String {
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: callback), .init(name: "scope", value: "mcp:read"),
            .init(name: "state", value: "s1"), .init(name: "code_challenge", value: challenge),
            .init(name: "code_challenge_method", value: "S256"), .init(name: "resource", value: "\(origin)/mcp"),
        ]
        return query.percentEncodedQuery!
    }

    /// The whole of a /proc file (they report size 0, so read until end of file rather than trust the size).
    static func readProcFile(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many TCP sockets in LISTEN state process `pid` holds: its `socket:[INODE]` descriptors matched against
    /// the listening entries of /proc/net/tcp and tcp6.
    static func listeningSockets(of pid: Int32) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let inodes = Set(fds.compactMap { fd -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                target.hasPrefix("socket:[")
            else { return nil }
            return String(target.dropFirst("socket:[".count).dropLast())
        })
        var listening = 0
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            let text = Self.readProcFile(table)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])) else { continue }
                listening += 1
            }
        }
        return listening
    }
}
