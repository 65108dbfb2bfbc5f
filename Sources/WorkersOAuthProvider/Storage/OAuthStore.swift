import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// Typed access to the provider's KV layout: `client:{id}`, `grant:{userId}:{grantId}`,
/// `token:{userId}:{grantId}:{sha256(token)}`.
struct OAuthStore: Sendable {
    let kv: any KVNamespace

    static func clientKey(_ id: String) -> String { "client:\(id)" }
    static func grantKey(userId: String, grantId: String) -> String { "grant:\(userId):\(grantId)" }
    static func tokenKey(userId: String, grantId: String, tokenId: String) -> String {
        "token:\(userId):\(grantId):\(tokenId)"
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder = JSONDecoder()

    /// Reads and decodes `key`; a key too long to exist (built from attacker input) is simply absent.
    func read<T: Decodable>(_ key: String, as type: T.Type) async throws -> T? {
        guard key.utf8.count <= KVLimits.maxKeyBytes else { return nil }
        guard let entry = try await kv.getEntry(key) else { return nil }
        return try Self.decoder.decode(T.self, from: entry.value)
    }

    func write(_ key: String, _ value: some Encodable, expiration: Int? = nil, expirationTtl: Int? = nil) async throws {
        try await kv.put(
            key,
            bytes: try Self.encoder.encode(value),
            options: KVPutOptions(expiration: expiration, expirationTtl: expirationTtl)
        )
    }

    func client(_ id: String) async throws -> ClientInfo? {
        guard !id.isEmpty else { return nil }
        return try await read(Self.clientKey(id), as: ClientInfo.self)
    }

    func grant(userId: String, grantId: String) async throws -> StoredGrant? {
        try await read(Self.grantKey(userId: userId, grantId: grantId), as: StoredGrant.self)
    }

    func putGrant(_ grant: StoredGrant, expiration: Int? = nil, expirationTtl: Int? = nil) async throws {
        try await write(
            Self.grantKey(userId: grant.userId, grantId: grant.id),
            grant,
            expiration: expiration,
            expirationTtl: expirationTtl
        )
    }

    func token(userId: String, grantId: String, tokenId: String) async throws -> StoredToken? {
        let key = Self.tokenKey(userId: userId, grantId: grantId, tokenId: tokenId)
        // A key too long to exist (built from attacker input) is simply absent, as in `read`.
        guard key.utf8.count <= KVLimits.maxKeyBytes, let entry = try await kv.getEntry(key) else { return nil }
        return try StoredToken(record: entry.value) ?? Self.decoder.decode(StoredToken.self, from: entry.value)
    }

    /// Every key under `prefix`, page by page.
    func keys(prefix: String) async throws -> [String] {
        var keys: [String] = []
        var cursor: String?
        repeat {
            let page = try await kv.list(KVListOptions(prefix: prefix, cursor: cursor))
            keys += page.keys.map(\.name)
            cursor = page.listComplete ? nil : page.cursor
        } while cursor != nil
        return keys
    }
}
