import Foundation
import WorkersKV
import WorkersRuntime

/// Typed access to the provider's KV layout (the anchor's): `client:{clientId}`, `grant:{userId}:{grantId}`,
/// `token:{userId}:{grantId}:{sha256(token)}`, and the one place that carries out a ``GrantTransition``.
struct OAuthStore: Sendable {
    let kv: any KVNamespace

    static func clientKey(_ id: String) -> String { "client:\(id)" }
    static func grantKey(userID: String, grantID: String) -> String { "grant:\(userID):\(grantID)" }
    static func tokenKey(userID: String, grantID: String, tokenID: String) -> String {
        "token:\(userID):\(grantID):\(tokenID)"
    }
    /// The prefix of every access token of a grant.
    static func tokenPrefix(userID: String, grantID: String) -> String { "token:\(userID):\(grantID):" }

    /// The store of `env`'s binding ``OAuthProvider/Options/kvBinding``.
    /// - Throws: ``OAuthProviderError`` when the binding is missing.
    static func `in`(_ env: Env, options: OAuthProvider.Options) throws(OAuthProviderError) -> OAuthStore {
        guard let kv = env.kv(options.kvBinding) else {
            throw OAuthProviderError("KV binding \"\(options.kvBinding)\" is missing from the environment")
        }
        return OAuthStore(kv: kv)
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

    /// Encodes and stores `value` at `key` until `expiry`.
    func write(_ key: String, _ value: some Encodable, expiry: GrantTransition.Expiry) async throws {
        let options: KVPutOptions
        switch expiry {
        case .at(let time): options = KVPutOptions(expiration: time)
        case .after(let seconds): options = KVPutOptions(expirationTtl: seconds)
        case .never: options = KVPutOptions()
        }
        try await kv.put(key, bytes: try Self.encoder.encode(value), options: options)
    }

    func client(_ id: String) async throws -> ClientInfo? {
        guard !id.isEmpty else { return nil }
        return try await read(Self.clientKey(id), as: ClientInfo.self)
    }

    func grant(_ parts: TokenParts) async throws -> StoredGrant? {
        try await read(Self.grantKey(userID: parts.userID, grantID: parts.grantID), as: StoredGrant.self)
    }

    /// The access-token record `token` names (by its hash), or `nil`.
    func accessToken(_ token: String, parts: TokenParts) async throws -> StoredToken? {
        let key = Self.tokenKey(userID: parts.userID, grantID: parts.grantID, tokenID: TokenCrypto.hash(token))
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

    /// Deletes a grant after every access token of it (its refresh token and any code die with it).
    func revokeGrant(userID: String, grantID: String) async throws {
        for key in try await keys(prefix: Self.tokenPrefix(userID: userID, grantID: grantID)) {
            try await kv.delete(key)
        }
        try await kv.delete(Self.grantKey(userID: userID, grantID: grantID))
    }

    /// Carries out `effects`, in order.
    func apply(_ effects: [GrantTransition.Effect]) async throws {
        for effect in effects {
            switch effect {
            case .putGrant(let grant, let expiry):
                try await write(Self.grantKey(userID: grant.userID, grantID: grant.id), grant, expiry: expiry)
            case .putToken(let token, let ttl):
                try await write(Self.tokenKey(userID: token.userID, grantID: token.grantID, tokenID: token.id), token, expiry: .after(ttl))
            case .deleteToken(let userID, let grantID, let tokenID):
                try await kv.delete(Self.tokenKey(userID: userID, grantID: grantID, tokenID: tokenID))
            case .revokeGrant(let userID, let grantID):
                try await revokeGrant(userID: userID, grantID: grantID)
            case .putClient(let client, let expiry):
                try await write(Self.clientKey(client.clientID), client, expiry: expiry)
            }
        }
    }

    /// Carries out `transition`.
    func apply(_ transition: GrantTransition) async throws {
        try await apply(transition.effects)
    }
}
