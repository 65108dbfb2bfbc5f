import Foundation
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting

@testable import WorkersOAuthProvider

/// The fast token-record decoder must read exactly what `JSONDecoder` reads, and decline everything else.
@Suite struct StoredTokenFastDecodingTests {
    static func record(audience: [String]?) -> StoredToken {
        StoredToken(
            id: "abc123", grantID: "grant1", userID: "alice", createdAt: 1_790_000_000, expiresAt: 1_790_003_600,
            audience: ResourceList(audience), scope: ["mcp:read", "mcp:write"], wrappedEncryptionKey: "d3JhcHBlZA==",
            grant: .init(clientID: "client1", scope: ["mcp:read"], encryptedProps: "ZW5jcnlwdGVk")
        )
    }

    static func canonical(_ token: StoredToken) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(token)
    }

    @Test(arguments: [nil, ["https://mcp.example.com/mcp"], ["https://a.example/", "https://b.example/"]])
    func decodesWhatTheStoreWritesLikeJSONDecoder(audience: [String]?) async throws {
        let store = OAuthStore(kv: MemoryKV())
        try await store.write("token:alice:grant1:abc123", Self.record(audience: audience), expiry: .never)
        let data = try #require(try await store.kv.getEntry("token:alice:grant1:abc123")).value
        let fast = try #require(StoredToken(record: data))
        #expect(try Self.canonical(fast) == Self.canonical(JSONDecoder().decode(StoredToken.self, from: data)))
    }

    @Test(arguments: [
        #"{"id":"a","grantId":"g","userId":"u","createdAt":1,"scope":[],"wrappedEncryptionKey":"k","grant":{"clientId":"c","scope":[],"encryptedProps":"p"}}"#,
        #"{"id":"a","grantId":"g","userId":"u","createdAt":1,"expiresAt":2.5,"scope":[],"wrappedEncryptionKey":"k","grant":{"clientId":"c","scope":[],"encryptedProps":"p"}}"#,
        #"{"id":"a\"b","grantId":"g","userId":"u","createdAt":1,"expiresAt":2,"scope":[],"wrappedEncryptionKey":"k","grant":{"clientId":"c","scope":[],"encryptedProps":"p"}}"#,
        #"{"id":"a","grantId":"g","userId":"u","createdAt":1,"expiresAt":2,"audience":7,"scope":[],"wrappedEncryptionKey":"k","grant":{"clientId":"c","scope":[],"encryptedProps":"p"}}"#,
    ])
    func declinesRecordsItCannotReadExactly(_ text: String) {
        #expect(StoredToken(record: Data(text.utf8)) == nil)
    }
}
