import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// A store that cannot be reached (a database restarting) makes the provider answer 503, never 500.
@Suite("Store unavailable")
struct StoreUnavailableTests {
    /// A namespace whose storage is down.
    struct DownKV: KVAtomicNamespace {
        static let error = KVUnavailableError("PostgreSQL at 127.0.0.1:5432: connection refused")
        func getEntry(_ key: String) async throws -> KVEntry? { throw Self.error }
        func put(_ key: String, bytes value: Data, options: KVPutOptions) async throws { throw Self.error }
        func delete(_ key: String) async throws { throw Self.error }
        func list(_ options: KVListOptions) async throws -> KVListResult { throw Self.error }
        func commit(_ changes: [KVChange], ifUnchanged expected: [String: Data?]) async throws -> Bool { throw Self.error }
    }

    @Test("the token endpoint, an API route and registration answer 503 temporarily_unavailable with Retry-After")
    func providerAnswers503() async throws {
        let harness = try ProviderHarness(kv: DownKV())
        let responses = [
            try await harness.client.postForm("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", "a:b:c"), ("client_id", "c")]),
            try await harness.callAPI(token: "a:b:c"),
            try await harness.client.postJSON("/oauth/register", ["redirect_uris": ["https://app.example.com/cb"]]),
        ]
        for response in responses {
            #expect(response.status == 503, "\(response.text)")
            #expect(response.error == "temporarily_unavailable")
            #expect(response.header("Retry-After") == "1")
            #expect(!response.text.contains("5432"), "no storage detail on the wire")
        }
    }

    @Test("a handler whose store is down gets the server's 503 instead of a 500")
    func serverAnswers503() async throws {
        let worker = Worker { _, _, _ in _ = try await DownKV().getEntry("x"); return Response.text("unreachable") }
        let status = try await worker.fetchHandler.test(.live) { client in try await client.send(.get, "/").status }
        #expect(status == 503)
    }
}
