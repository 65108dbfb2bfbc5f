import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

/// The provider on PostgreSQL through an outage: a database that goes away mid-run makes requests fail cleanly with
/// 503 and `Retry-After` (never a 500, never a wrong answer), and the same process serves again by itself once the
/// database is back.
@Suite("conformance-fixture on PostgreSQL through an outage", .serialized)
struct PostgresOutageTests {
    @Test("stop the database: 503 temporarily_unavailable with Retry-After; restart it: tokens refresh and the API answers", .requiresPostgres)
    func outageAndRecovery() async throws {
        let database = try PostgresServer.start()
        defer { database.tearDown() }
        let binary = ChildServer.sibling("conformance-fixture")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build with swift build --build-tests")
        let fixture = try ChildServer.start(
            binary, arguments: ["--port", "0", "--origin", SharedStoreTests.origin, "--kv-postgres", database.url],
            announcement: .standardOutput
        )
        defer { Task { _ = await fixture.stop() } }
        let clientID = try await SharedStoreTests.register(fixture)
        let code = try await SharedStoreTests.code(fixture, clientID: clientID)
        let tokens = try #require(try await SharedStoreTests.redeem(fixture, clientID: clientID, code: code).json)
        let access = try #require(tokens["access_token"]?.stringValue)
        let refresh = try #require(tokens["refresh_token"]?.stringValue)
        #expect(try await SharedStoreTests.api(fixture, access) == 200)

        try database.stop()
        let refused = try await SharedStoreTests.refresh(fixture, clientID: clientID, refresh)
        #expect(refused.status == 503, "\(refused.status) \(refused.text)")
        #expect(refused.error == "temporarily_unavailable")
        #expect(refused.header("Retry-After") != nil)
        let api = try await TestClient().send(.get, fixture.url("/mcp"), headers: [("Authorization", "Bearer \(access)")])
        #expect(api.status == 503, "\(api.status) \(api.text)")
        #expect(api.header("Retry-After") != nil)

        try database.restart()
        var recovered: TestResponse?
        #expect(await eventually(within: .seconds(60)) {
            guard let response = try? await SharedStoreTests.refresh(fixture, clientID: clientID, refresh) else { return false }
            recovered = response
            return response.status != 503
        })
        #expect(recovered?.status == 200, "\(recovered?.text ?? "")")
        // The access token issued before the outage lives out its lifetime, as before it.
        #expect(try await SharedStoreTests.api(fixture, access) == 200)
        let fresh = try #require(recovered?.json?["access_token"]?.stringValue)
        #expect(try await SharedStoreTests.api(fixture, fresh) == 200)
    }
}
