import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// Records in the anchor's format (as `workers-oauth-provider` writes them to Workers KV, crypto produced with
/// WebCrypto) are served unchanged: a deployment can copy its KV entries over and keep its users signed in.
@Suite struct StorageCompatibilityTests {
    static let accessToken = "alice:grant123:SECRETSECRETSECRETSECRETSECRET12"
    static let refreshToken = "alice:grant123:REFRESHREFRESHREFRESHREFRESHREFRE"
    static let clientSecret = "legacy-client-secret-0123456789ab"

    func seed(_ kv: MemoryKV, now: Int) async throws {
        try await kv.put(
            "client:legacyClient0001",
            """
            {"clientId":"legacyClient0001","clientSecret":"a1f61d9a83770344f83401b6cedba7b88963299b20fc029d74ea06187be9fd1e",\
            "redirectUris":["https://app.example.com/callback"],"clientName":"Legacy","grantTypes":["authorization_code","refresh_token"],\
            "responseTypes":["code"],"registrationDate":\(now - 1000),"tokenEndpointAuthMethod":"client_secret_basic"}
            """
        )
        try await kv.put(
            "grant:alice:grant123",
            """
            {"id":"grant123","clientId":"legacyClient0001","userId":"alice","scope":["read"],"metadata":{"label":"x"},\
            "encryptedProps":"vVuobN8/cIZrCN4uFF/EnKQF5GdR1+kOGBkjx6W6xHlRVm/BTX8lBvOD9aAPwg==","createdAt":\(now - 1000),\
            "expiresAt":\(now + 86_400),"refreshTokenId":"ad334e6d92a9fd4f8762decbcb294f2bea02ae860567e0df01c7aa2522aab885",\
            "refreshTokenWrappedKey":"534h7+7UyR7lg3f/U8grpfn6V8dE0sPbqDc9AAPMwEyQuH+wUS8bbQ==","authCodeId":"0000"}
            """
        )
        try await kv.put(
            "token:alice:grant123:b99ff8cb3957d95400b44d94142d77bbd455b337f4186ef4aabfca6a0c162ce4",
            """
            {"id":"b99ff8cb3957d95400b44d94142d77bbd455b337f4186ef4aabfca6a0c162ce4","grantId":"grant123","userId":"alice",\
            "createdAt":\(now - 100),"expiresAt":\(now + 3000),"scope":["read"],\
            "wrappedEncryptionKey":"o94la3sL8+byNPC2iC8fCU8uVcyDkq/jNlk4L12frKw/2mRnntSPbA==",\
            "grant":{"clientId":"legacyClient0001","scope":["read"],"encryptedProps":"vVuobN8/cIZrCN4uFF/EnKQF5GdR1+kOGBkjx6W6xHlRVm/BTX8lBvOD9aAPwg=="}}
            """,
            expirationTtl: 3000
        )
    }

    @Test func servesTokensGrantsAndClientsWrittenByTheAnchor() async throws {
        let clock = TestClock()
        let kv = MemoryKV(now: clock.nowFunction)
        let harness = try ProviderHarness(clock: clock, kv: kv)
        try await seed(kv, now: Int(clock.now.timeIntervalSince1970))

        let api = try await harness.callAPI(token: Self.accessToken)
        #expect(api.status == 200)
        #expect(api.json?["props"] == ["subject": "conformance-user"])

        let basic = "Basic " + Data("legacyClient0001:\(Self.clientSecret)".utf8).base64EncodedString()
        let refreshed = try await harness.client.postForm(
            "/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", Self.refreshToken)],
            headers: [("Authorization", basic)]
        )
        #expect(refreshed.status == 200, "\(refreshed.text)")
        let newAccess = try #require(refreshed.json?["access_token"]?.stringValue)
        #expect(try await harness.callAPI(token: newAccess).json?["props"] == ["subject": "conformance-user"])

        let grants = try await harness.helpers.listUserGrants("alice")
        #expect(grants.items.map(\.metadata) == [["label": "x"]])
    }
}
