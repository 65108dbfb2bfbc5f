import Foundation
import HTTPTypes
import Testing
import WorkersRuntime
import WorkersTesting

/// Moving a live deployment off Cloudflare: an OAuth store written in the anchor's format (as
/// `workers-oauth-provider` leaves it in Workers KV; the records of `StorageCompatibilityTests`), in a wrangler bulk
/// file, imported with `kv bulk put` into SQLite, then served by the real `conformance-fixture` server.
@Suite("migrating a Workers KV OAuth store with kv bulk put")
struct KVMigrationTests {
    typealias CLI = WorkerCommandTests
    static let fixture = ChildServer.sibling("conformance-fixture")
    static let accessToken = "alice:grant123:SECRETSECRETSECRETSECRETSECRET12"
    static let refreshToken = "alice:grant123:REFRESHREFRESHREFRESHREFRESHREFRE"
    static let clientSecret = "legacy-client-secret-0123456789ab"

    /// The anchor's client, grant and access-token records (the grant holds the refresh token's id and wrapped key),
    /// as a bulk file would carry them after an export.
    static func bulkFile(now: Int) throws -> Data {
        let records: [JSONValue] = [
            [
                "key": "client:legacyClient0001",
                "value": .string("""
                    {"clientId":"legacyClient0001","clientSecret":"a1f61d9a83770344f83401b6cedba7b88963299b20fc029d74ea06187be9fd1e",\
                    "redirectUris":["https://app.example.com/callback"],"clientName":"Legacy","grantTypes":["authorization_code","refresh_token"],\
                    "responseTypes":["code"],"registrationDate":\(now - 1000),"tokenEndpointAuthMethod":"client_secret_basic"}
                    """),
            ],
            [
                "key": "grant:alice:grant123",
                "value": .string("""
                    {"id":"grant123","clientId":"legacyClient0001","userId":"alice","scope":["read"],"metadata":{"label":"x"},\
                    "encryptedProps":"vVuobN8/cIZrCN4uFF/EnKQF5GdR1+kOGBkjx6W6xHlRVm/BTX8lBvOD9aAPwg==","createdAt":\(now - 1000),\
                    "expiresAt":\(now + 86_400),"refreshTokenId":"ad334e6d92a9fd4f8762decbcb294f2bea02ae860567e0df01c7aa2522aab885",\
                    "refreshTokenWrappedKey":"534h7+7UyR7lg3f/U8grpfn6V8dE0sPbqDc9AAPMwEyQuH+wUS8bbQ==","authCodeId":"0000"}
                    """),
                "expiration": .number(Double(now + 86_400)),
            ],
            [
                "key": "token:alice:grant123:b99ff8cb3957d95400b44d94142d77bbd455b337f4186ef4aabfca6a0c162ce4",
                "value": .string("""
                    {"id":"b99ff8cb3957d95400b44d94142d77bbd455b337f4186ef4aabfca6a0c162ce4","grantId":"grant123","userId":"alice",\
                    "createdAt":\(now - 100),"expiresAt":\(now + 3000),"scope":["read"],\
                    "wrappedEncryptionKey":"o94la3sL8+byNPC2iC8fCU8uVcyDkq/jNlk4L12frKw/2mRnntSPbA==",\
                    "grant":{"clientId":"legacyClient0001","scope":["read"],"encryptedProps":"vVuobN8/cIZrCN4uFF/EnKQF5GdR1+kOGBkjx6W6xHlRVm/BTX8lBvOD9aAPwg=="}}
                    """),
                "expiration_ttl": 3000,
            ],
        ]
        return try JSONValue.array(records).jsonData()
    }

    @Test("after kv bulk put, the server accepts the existing access token on its API and the refresh token at /oauth/token")
    func existingTokensKeepWorking() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build with swift build --build-tests")
        try #require(FileManager.default.isExecutableFile(atPath: Self.fixture.path), "build with swift build --build-tests")
        let directory = try CLI.project(wranglerTOML: """
            name = "migrated"
            [[kv_namespaces]]
            binding = "OAUTH_KV"
            id = "0f2ac74b498b48028cb68387c421e279"
            path = "kv/OAUTH_KV.sqlite"
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kvDir = directory.appendingPathComponent("kv")
        try FileManager.default.createDirectory(at: kvDir, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("oauth-kv.json")
        try Self.bulkFile(now: Int(Date().timeIntervalSince1970)).write(to: file)

        let put = try await CLI.run(["kv", "bulk", "put", file.path, "--binding", "OAUTH_KV"], in: directory)
        #expect(put.status == 0, "\(put.stderr)")
        #expect(put.stderr.contains("Wrote 3 records"))

        let server = try ChildServer.start(
            Self.fixture, arguments: ["--port", "0", "--kv-dir", kvDir.path, "--kv-backend", "sqlite"], announcement: .standardOutput
        )
        let client = TestClient()
        let api = try await client.send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer \(Self.accessToken)")])
        #expect(api.status == 200, "\(api.text)")
        #expect(api.json?["props"] == ["subject": "conformance-user"])

        let basic = "Basic " + Data("legacyClient0001:\(Self.clientSecret)".utf8).base64EncodedString()
        let refreshed = try await client.postForm(
            server.url("/oauth/token"), [("grant_type", "refresh_token"), ("refresh_token", Self.refreshToken)],
            headers: [("Authorization", basic)]
        )
        #expect(refreshed.status == 200, "\(refreshed.text)")
        let newAccess = try #require(refreshed.json?["access_token"]?.stringValue)
        let again = try await client.send(.get, server.url("/mcp"), headers: [("Authorization", "Bearer \(newAccess)")])
        #expect(again.status == 200)
        #expect(again.json?["props"] == ["subject": "conformance-user"])
        #expect(await server.stop() == 0)
    }
}
