import Crypto
import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

/// Two `conformance-fixture` processes on one store: the guarantees of the token endpoint are the store's, not a
/// process's.
@Suite("Two provider processes on one store", .serialized)
struct SharedStoreTests {
    static let origin = "https://mcp.example.com"
    static let callback = "https://client.example.com/callback"
    static let verifier = "shared-store-code-verifier-long-enough-for-rfc-7636-rules"

    /// Two fixtures on one store described by `storeArguments`, stopped after `body`.
    static func withTwoFixtures(_ storeArguments: [String], _ body: (ChildServer, ChildServer) async throws -> Void) async throws {
        let binary = ChildServer.sibling("conformance-fixture")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build with swift build --build-tests")
        let arguments = ["--port", "0", "--origin", origin] + storeArguments
        let first = try ChildServer.start(binary, arguments: arguments, announcement: .standardOutput)
        let second: ChildServer
        do { second = try ChildServer.start(binary, arguments: arguments, announcement: .standardOutput) } catch {
            _ = await first.stop()
            throw error
        }
        do {
            try await body(first, second)
        } catch {
            _ = await first.stop()
            _ = await second.stop()
            throw error
        }
        #expect(await first.stop() == 0)
        #expect(await second.stop() == 0)
    }

    static func register(_ fixture: ChildServer) async throws -> String {
        let response = try await TestClient().send(
            .post, fixture.url("/__fixture/clients"),
            body: #"{"token_endpoint_auth_method":"none","redirect_uris":["\#(callback)"]}"#
        )
        return try #require(response.json?["client_id"]?.stringValue)
    }

    static func code(_ fixture: ChildServer, clientID: String) async throws -> String {
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: callback), .init(name: "scope", value: "mcp:read"),
            .init(name: "code_challenge", value: Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()),
            .init(name: "code_challenge_method", value: "S256"),
        ]
        let response = try await TestClient().send(.get, fixture.url("/authorize?\(query.percentEncodedQuery!)"))
        return try #require(response.location?.queryItems?.first { $0.name == "code" }?.value)
    }

    static func redeem(_ fixture: ChildServer, clientID: String, code: String) async throws -> TestResponse {
        try await TestClient().postForm(fixture.url("/oauth/token"), [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callback), ("code_verifier", verifier),
            ("client_id", clientID),
        ])
    }

    static func refresh(_ fixture: ChildServer, clientID: String, _ token: String) async throws -> TestResponse {
        try await TestClient().postForm(
            fixture.url("/oauth/token"), [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", clientID)]
        )
    }

    static func api(_ fixture: ChildServer, _ token: String) async throws -> Int {
        try await TestClient().send(.get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(token)")]).status
    }

    /// The store arguments of a backend: a fresh SQLite directory (deleted after).
    static func sqliteStore() -> (arguments: [String], cleanup: @Sendable () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
        return (["--kv-dir", directory.path], { try? FileManager.default.removeItem(at: directory) })
    }

    /// The store arguments of a fresh namespace in a fresh database of the test PostgreSQL server.
    static func postgresStore() throws -> [String] {
        let url = try PostgresServer.shared().createDatabase()
        return ["--kv-postgres", url, "--kv-namespace", "shared-\(UUID().uuidString.prefix(8))"]
    }

    @Test("PostgreSQL: one code redeemed at once on both processes, 200 times, never yields two successes; the loser revokes", .requiresPostgres)
    func codeRaceOnPostgres() async throws {
        try await Self.codeRace(try Self.postgresStore(), trials: 200)
    }

    @Test("PostgreSQL: concurrent refreshes on both processes leave the grant on a refresh token the client was given", .requiresPostgres)
    func refreshRaceOnPostgres() async throws {
        try await Self.refreshRace(try Self.postgresStore())
    }

    @Test("SQLite: one code redeemed at once on both processes, 200 times, never yields two successes; the loser revokes")
    func codeRaceOnSQLite() async throws {
        let store = Self.sqliteStore()
        defer { store.cleanup() }
        try await Self.codeRace(store.arguments, trials: 200)
    }

    @Test("SQLite: concurrent refreshes on both processes leave the grant on a refresh token the client was given")
    func refreshRaceOnSQLite() async throws {
        let store = Self.sqliteStore()
        defer { store.cleanup() }
        try await Self.refreshRace(store.arguments)
    }

    static func codeRace(_ storeArguments: [String], trials: Int) async throws {
        try await withTwoFixtures(storeArguments) { first, second in
            let clientID = try await register(first)
            var doubles = 0
            var revokedEverywhere = 0
            for trial in 0..<trials {
                let code = try await Self.code(trial % 2 == 0 ? first : second, clientID: clientID)
                async let onFirst = redeem(first, clientID: clientID, code: code)
                async let onSecond = redeem(second, clientID: clientID, code: code)
                let results = try await [onFirst, onSecond]
                let winners = results.filter { $0.status == 200 }
                if winners.count != 1 { doubles += 1 }
                #expect(winners.count == 1, "trial \(trial): \(results.map(\.status))")
                #expect(results.contains { $0.status == 400 && $0.error == "invalid_grant" })
                // The second redemption is a replay: what the first issued is revoked, on both processes.
                if trial < 10, let token = winners.first?.json?["access_token"]?.stringValue {
                    if try await api(first, token) == 401, try await api(second, token) == 401 { revokedEverywhere += 1 }
                }
            }
            #expect(doubles == 0)
            #expect(revokedEverywhere == min(10, trials))
        }
    }

    static func refreshRace(_ storeArguments: [String]) async throws {
        try await withTwoFixtures(storeArguments) { first, second in
            let clientID = try await register(first)
            for round in 0..<10 {
                let tokens = try #require(try await redeem(first, clientID: clientID, code: Self.code(first, clientID: clientID)).json)
                let rt0 = try #require(tokens["refresh_token"]?.stringValue)
                let results = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for index in 0..<8 {
                        group.addTask { try await refresh(index % 2 == 0 ? first : second, clientID: clientID, rt0) }
                    }
                    return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
                }
                let given = results.compactMap { $0.status == 200 ? $0.json?["refresh_token"]?.stringValue : nil }
                // Every racer is a rotation or a retry, or, when it lost too many races for the grant, a 503 to retry:
                // never a refusal, never a revocation.
                #expect(!given.isEmpty)
                for result in results where result.status != 200 {
                    #expect(result.status == 503 && result.error == "temporarily_unavailable", "round \(round): \(result.status) \(result.text)")
                }
                // Exactly one of the tokens handed out is the grant's current one; the rest are siblings, refused
                // without revoking anything.
                var working = 0
                for token in given where try await refresh(round % 2 == 0 ? first : second, clientID: clientID, token).status == 200 {
                    working += 1
                }
                #expect(working == 1, "round \(round): \(working) of the tokens handed out worked")
            }
        }
    }
}
