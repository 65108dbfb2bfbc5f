import Foundation
import Synchronization
import WorkersKV
import WorkersRuntime

/// Typed access to the provider's KV layout (the anchor's): `client:{clientId}`, `grant:{userId}:{grantId}`,
/// `token:{userId}:{grantId}:{sha256(token)}`, and the one place that carries out a ``GrantTransition``: as one
/// atomic commit of the namespace (``WorkersKV/KVAtomicNamespace``), conditional on the grant it was computed from
/// being unchanged, so single-use codes and refresh rotation hold across processes and hosts sharing the store.
struct OAuthStore: Sendable {
    let kv: any KVAtomicNamespace
    /// Where clients whose id is a metadata document URL are resolved; `nil` when CIMD is off (then such an id is
    /// looked up like any other, and found nowhere).
    var metadataDocuments: MetadataDocuments? = nil

    /// The resolver, the fetcher it fetches documents through (the environment's SSRF-safe one), and the documents
    /// this store resolved in the last few seconds: parsing and completing an authorization in one request read the
    /// client twice, and a document its host forbids caching must still be fetched only once for that.
    struct MetadataDocuments: Sendable {
        let resolver: CIMDResolver
        let fetcher: any Fetcher
        let recent = RecentClients()
    }

    /// Clients resolved by one store value, kept ``lifetime`` seconds.
    final class RecentClients: Sendable {
        static let lifetime: Double = 10
        private let clients = Mutex<[String: (client: ClientInfo, at: Double)]>([:])

        func client(_ url: String, now: Double) -> ClientInfo? {
            clients.withLock { clients in
                guard let entry = clients[url], now - entry.at < Self.lifetime else { return nil }
                return entry.client
            }
        }

        func remember(_ client: ClientInfo, now: Double) {
            clients.withLock { $0[client.clientID] = (client, now) }
        }
    }

    static func clientKey(_ id: String) -> String { "client:\(id)" }
    static func grantKey(userID: String, grantID: String) -> String { "grant:\(userID):\(grantID)" }
    static func tokenKey(userID: String, grantID: String, tokenID: String) -> String {
        "token:\(userID):\(grantID):\(tokenID)"
    }
    /// The prefix of every access token of a grant.
    static func tokenPrefix(userID: String, grantID: String) -> String { "token:\(userID):\(grantID):" }

    /// The store of `env`'s binding ``OAuthProvider/Options/kvBinding``, resolving metadata-document clients with
    /// `documents` through `env`'s public fetcher.
    /// - Throws: ``OAuthProviderError`` when the binding is missing, or cannot commit atomically (then two
    ///   requests could both redeem one code).
    static func `in`(_ env: Env, options: OAuthProvider.Options, documents: CIMDResolver? = nil) throws(OAuthProviderError) -> OAuthStore {
        guard let kv = env.kv(options.kvBinding) else {
            throw OAuthProviderError("KV binding \"\(options.kvBinding)\" is missing from the environment")
        }
        guard let atomic = kv as? any KVAtomicNamespace else {
            throw OAuthProviderError(
                "KV binding \"\(options.kvBinding)\" (\(type(of: kv))) cannot change grants atomically (it is not a KVAtomicNamespace), so a code could be redeemed twice: use SQLiteKV, PostgresKV, FileKV or MemoryKV"
            )
        }
        return OAuthStore(kv: atomic, metadataDocuments: documents.map { MetadataDocuments(resolver: $0, fetcher: env.publicFetcher) })
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
        try await kv.put(key, bytes: try Self.encoder.encode(value), options: expiry.putOptions)
    }

    /// The client `id` names: a metadata-document client (resolved, when CIMD is on) or a stored one.
    /// - Parameter requester: The address of the caller, which a document fetch is charged to.
    /// - Throws: ``CIMDFetchError`` for a metadata document that cannot be used; KV errors.
    func client(_ id: String, requester: String? = nil) async throws -> ClientInfo? {
        if let metadataDocuments, CIMDClientID.isMetadataURL(id) {
            let now = metadataDocuments.resolver.options.now().timeIntervalSince1970
            if let recent = metadataDocuments.recent.client(id, now: now) { return recent }
            let client = try await metadataDocuments.resolver.client(
                id, kv: kv, fetcher: metadataDocuments.fetcher, requester: requester
            )
            metadataDocuments.recent.remember(client, now: now)
            return client
        }
        return try await registeredClient(id)
    }

    /// The stored client record `id` names (never a metadata document).
    func registeredClient(_ id: String) async throws -> ClientInfo? {
        guard !id.isEmpty else { return nil }
        return try await read(Self.clientKey(id), as: ClientInfo.self)
    }

    func grant(_ parts: TokenParts) async throws -> StoredGrant? {
        try await grantRecord(parts)?.grant
    }

    /// A grant as read: the record and its stored bytes (what a conditional commit expects to find again).
    struct GrantRecord: Sendable {
        let grant: StoredGrant
        let key: String
        let bytes: Data
    }

    /// The grant `parts` names, with its stored bytes, or `nil`.
    func grantRecord(_ parts: TokenParts) async throws -> GrantRecord? {
        let key = Self.grantKey(userID: parts.userID, grantID: parts.grantID)
        guard key.utf8.count <= KVLimits.maxKeyBytes, let entry = try await kv.getEntry(key) else { return nil }
        return GrantRecord(grant: try Self.decoder.decode(StoredGrant.self, from: entry.value), key: key, bytes: entry.value)
    }

    /// The access-token record `token` names (by its hash), or `nil`.
    func accessToken(_ token: String, parts: TokenParts) async throws -> StoredToken? {
        try await accessToken(hash: TokenCrypto.hash(token), parts: parts)
    }

    /// The access token whose SHA-256 is `hash` (``TokenCrypto/hash(_:)``), for a caller that needs the hash too.
    func accessToken(hash: String, parts: TokenParts) async throws -> StoredToken? {
        let key = Self.tokenKey(userID: parts.userID, grantID: parts.grantID, tokenID: hash)
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

    /// Deletes a grant and every access token of it (its refresh token and any code die with it), atomically.
    func revokeGrant(userID: String, grantID: String) async throws {
        try await apply([.revokeGrant(userID: userID, grantID: grantID)])
    }

    /// Carries out `effects` in one atomic commit.
    func apply(_ effects: [GrantTransition.Effect]) async throws {
        _ = try await kv.commit(try Self.changes(effects), ifUnchanged: [:])
    }

    /// Carries out `transition` in one atomic commit, whatever the store holds (a new grant, a revocation).
    func apply(_ transition: GrantTransition) async throws {
        try await apply(transition.effects)
    }

    /// Carries out `transition` in one atomic commit, if the grant it was computed from still holds the bytes it
    /// was read with (`nil`: the grant did not exist); returns whether it did.
    func apply(_ transition: GrantTransition, ifUnchanged grant: (key: String, bytes: Data?)) async throws -> Bool {
        try await kv.commit(try Self.changes(transition.effects), ifUnchanged: [grant.key: grant.bytes])
    }

    /// The KV changes of `effects`.
    static func changes(_ effects: [GrantTransition.Effect]) throws -> [KVChange] {
        try effects.flatMap { effect -> [KVChange] in
            switch effect {
            case .putGrant(let grant, let expiry):
                return [.put(key: grantKey(userID: grant.userID, grantID: grant.id), value: try encoder.encode(grant), options: expiry.putOptions)]
            case .putToken(let token, let ttl):
                return [
                    .put(
                        key: tokenKey(userID: token.userID, grantID: token.grantID, tokenID: token.id), value: try encoder.encode(token),
                        options: KVPutOptions(expirationTtl: ttl)
                    )
                ]
            case .deleteToken(let userID, let grantID, let tokenID):
                return [.delete(key: tokenKey(userID: userID, grantID: grantID, tokenID: tokenID))]
            case .revokeGrant(let userID, let grantID):
                return [.deletePrefix(tokenPrefix(userID: userID, grantID: grantID)), .delete(key: grantKey(userID: userID, grantID: grantID))]
            case .putClient(let client, let expiry):
                return [.put(key: clientKey(client.clientID), value: try encoder.encode(client), options: expiry.putOptions)]
            }
        }
    }
}

extension GrantTransition.Expiry {
    /// The KV put options of this expiry.
    var putOptions: KVPutOptions {
        switch self {
        case .at(let time): KVPutOptions(expiration: time)
        case .after(let seconds): KVPutOptions(expirationTtl: seconds)
        case .never: KVPutOptions()
        }
    }
}
