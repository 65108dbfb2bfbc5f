import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersServer
import WorkersTesting

extension OAuthAdminCommandTests {
    @Test("clients create --grant-type client_credentials --scope makes a machine client that gets tokens of its own")
    func machineClient() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerCommandTests.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let create = try await Self.oauth(
            ["clients", "create", "--name", "nightly-report", "--grant-type", "client_credentials", "--scope", "reports", "--json"],
            in: directory
        )
        #expect(create.status == 0, "\(create.stderr)")
        let created = try JSONValue(parsing: Data(create.stdout.utf8))
        let id = try #require(created["clientId"]?.stringValue)
        let secret = try #require(created["clientSecret"]?.stringValue)
        #expect(created["grantTypes"] == ["client_credentials"])
        #expect(created["scope"] == "reports")
        let shown = try await Self.oauth(["clients", "show", "--", id], in: directory)
        #expect(shown.stdout.contains("client_credentials") && shown.stdout.contains("reports"))

        let refused = try await Self.oauth(["clients", "create", "--public", "--grant-type", "client_credentials"], in: directory)
        #expect(refused.status != 0 && refused.stderr.contains("cannot use client_credentials"))
        #expect(try await Self.oauth(["clients", "create", "--grant-type", "implicit"], in: directory).status != 0)

        // The provider over the same store, with the grant on.
        let kv = try SQLiteKV(path: directory.appendingPathComponent(".wrangler/state/kv/oauth.sqlite"))
        let provider = try OAuthProvider(
            apiRoute: ["/api/"], apiHandler: FetchHandler { _, _, ctx in try Response.json(["client": .string(ctx.accessToken?.clientID ?? "")] as JSONValue) },
            defaultHandler: FetchHandler { _, _, _ in Response.text("") },
            options: .init(scopesSupported: ["reports", "admin"], allowClientCredentialsGrant: true)
        )
        let server = try await LiveServer.start(worker: Worker(fetch: provider), env: Env(bindings: ["OAUTH_KV": kv]))
        let client = TestClient()
        let basic = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
        let token = try await client.postForm(server.url("/token"), [("grant_type", "client_credentials")], headers: [("Authorization", basic)])
        let api = try await client.send(
            .get, server.url("/api/"), headers: [("Authorization", "Bearer \(token.json?["access_token"]?.stringValue ?? "")")]
        )
        let overScoped = try await client.postForm(
            server.url("/token"), [("grant_type", "client_credentials"), ("scope", "admin")], headers: [("Authorization", basic)]
        )
        try await server.stop()
        #expect(token.status == 200, "\(token.text)")
        #expect(token.json?["scope"] == "reports")
        #expect(api.json?["client"]?.stringValue == id)
        #expect(overScoped.json?["error"] == "invalid_scope")
    }
}
