import Foundation
import Testing
import WorkersRuntime
import WorkersTesting

/// Two `conformance-fixture` instances on one PostgreSQL database, each reusing verified tokens for up to a second
/// (`--verified-token-cache-ms 1000`): a token revoked on one is refused by the other once that second has passed.
@Suite("revocation across instances with the verified-token cache")
struct RevocationAcrossInstancesTests {
    @Test("revoke on instance A (RFC 7009), then a call on instance B 1 s later: 401", .requiresPostgres)
    func revokedEverywhereWithinASecond() async throws {
        let store = try SharedStoreTests.postgresStore() + ["--verified-token-cache-ms", "1000"]
        try await SharedStoreTests.withTwoFixtures(store) { first, second in
            let clientID = try await SharedStoreTests.register(first)
            let code = try await SharedStoreTests.code(first, clientID: clientID)
            let tokens = try #require(try await SharedStoreTests.redeem(first, clientID: clientID, code: code).json)
            let access = try #require(tokens["access_token"]?.stringValue)
            // B verifies the token (and caches it).
            #expect(try await SharedStoreTests.api(second, access) == 200)

            let revoked = try await TestClient().postForm(first.url("/oauth/token"), [("token", access), ("client_id", clientID)])
            #expect(revoked.status == 200, "\(revoked.text)")
            #expect(try await SharedStoreTests.api(first, access) == 401, "A refuses at once: its own read of the store")
            try await Task.sleep(for: .milliseconds(1_050))
            #expect(try await SharedStoreTests.api(second, access) == 401, "B refuses within a second of the revocation")
        }
    }
}
