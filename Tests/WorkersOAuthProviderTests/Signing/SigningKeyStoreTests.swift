import Crypto
import Foundation
import Logging
import Testing
import WorkersKV
import WorkersRuntime
import WorkersTesting
@testable import WorkersOAuthProvider

/// The key set in a real SQLite file: generated once on first use, agreed on by racing processes, encrypted at
/// rest, and refused (never replaced) under a wrong secret.
@Suite struct SigningKeyStoreTests {
    static let secret = "signing-secret-0123456789-abcdefghij"
    static let env = Env(secrets: ["SIGNING_KEY_ENCRYPTION_KEY": secret])

    /// A temporary directory and the path of a database in it.
    static func database() -> (directory: URL, file: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signing-\(UUID().uuidString)")
        return (directory, directory.appendingPathComponent("oauth.sqlite"))
    }

    static func keys(_ signing: AccessTokenSigning = AccessTokenSigning(), clock: TestClock = TestClock()) -> SigningKeys {
        SigningKeys(signing, now: clock.nowFunction, logger: .init(label: "test"))
    }

    static func claims(exp: Int = 1_800_000_300) -> AccessTokenClaims {
        AccessTokenClaims(
            iss: "https://as.example.com", sub: "alice", aud: "https://notes.example.com/mcp", client_id: "client",
            scope: "notes:read", exp: exp, iat: 1_800_000_000, jti: "grant.0123456789abcdefghijkl"
        )
    }

    @Test("the first use generates one key and stores it; later uses find it", arguments: [SigningAlgorithm.es256, .rs256])
    func firstUseGeneratesOneKey(algorithm: SigningAlgorithm) async throws {
        let (directory, file) = Self.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = OAuthStore(kv: try SQLiteKV(path: file))
        let keys = Self.keys(AccessTokenSigning(algorithm: algorithm))
        #expect(try await keys.summaries(store: store).isEmpty, "listing generates nothing")

        let jwt = try await keys.sign(Self.claims(), store: store, env: Self.env)
        let stored = try await keys.summaries(store: store)
        #expect(stored.count == 1)
        #expect(stored.first?.state == .current && stored.first?.algorithm == algorithm)
        #expect(stored.first?.keyID.count == 16)
        #expect(try await keys.publishedKeys(store: store, env: Self.env).map(\.kid) == stored.map(\.keyID))
        // Another instance (another process) finds the same key rather than making one.
        let other = Self.keys(AccessTokenSigning(algorithm: algorithm))
        #expect(try await other.verify(jwt, store: OAuthStore(kv: try SQLiteKV(path: file)), env: Self.env) == Self.claims())
        _ = try await other.sign(Self.claims(), store: store, env: Self.env)
        #expect(try await keys.summaries(store: store).count == 1)
    }

    @Test("two processes racing on one SQLite file end with one key, and each signs with it")
    func racingProcessesAgree() async throws {
        let (directory, file) = Self.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two SQLiteKV instances on one file, as two processes would have.
        let stores = [OAuthStore(kv: try SQLiteKV(path: file)), OAuthStore(kv: try SQLiteKV(path: file))]
        let instances = [Self.keys(), Self.keys()]
        let jwts = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<8 {
                group.addTask { try await instances[index % 2].sign(Self.claims(), store: stores[index % 2], env: Self.env) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = try await instances[0].summaries(store: stores[0])
        #expect(stored.count == 1)
        let kids = Set(try jwts.map { try #require(SigningKeys.Header($0)).kid })
        #expect(kids == [stored[0].keyID])
    }

    @Test("the private key is never stored in plaintext", arguments: [SigningAlgorithm.es256, .rs256])
    func privateKeyEncryptedAtRest(algorithm: SigningAlgorithm) async throws {
        let (directory, file) = Self.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kv = try SQLiteKV(path: file)
        let store = OAuthStore(kv: kv)
        _ = try await Self.keys(AccessTokenSigning(algorithm: algorithm)).sign(Self.claims(), store: store, env: Self.env)
        let record = try JSONDecoder().decode(SigningKeySet.self, from: try #require(try await kv.getEntry(SigningKeySet.key)).value)
        let key = try #require(record.current)
        let plaintext = try SigningKeyCrypto.decrypt(key, secret: Self.secret, secretName: "SIGNING_KEY_ENCRYPTION_KEY")
        try kv.close()

        var forms = [plaintext, Data(plaintext.base64EncodedString().utf8), Data(plaintext.base64URLEncodedString().utf8),
                     Data(plaintext.map { String(format: "%02x", $0) }.joined().utf8)]
        if algorithm == .es256 {
            let pem = try P256.Signing.PrivateKey(rawRepresentation: plaintext).pemRepresentation
            forms.append(Data(pem.utf8))
            // The PEM's first line of base64 (the DER's start holds the scalar): no run of it either.
            forms.append(Data(pem.split(separator: "\n")[1].utf8))
        } else {
            forms.append(Data(plaintext.base64EncodedString().prefix(64).utf8))
        }
        var files = Data()
        for suffix in ["", "-wal"] { files.append((try? Data(contentsOf: URL(fileURLWithPath: file.path + suffix))) ?? Data()) }
        #expect(files.range(of: Data(key.kid.utf8)) != nil, "the record is on disk")
        #expect(files.range(of: Data(key.publicKey.x?.utf8 ?? key.publicKey.n!.utf8)) != nil, "and its public key")
        for form in forms {
            #expect(files.range(of: form) == nil)
        }
        // The stored value names no private JWK member either.
        let json = try #require(String(data: try JSONEncoder().encode(record), encoding: .utf8))
        #expect(!json.contains("\"d\"") && !json.contains("\"p\"") && !json.contains("\"q\""))
    }

    @Test("a wrong secret fails with an error naming it, and never replaces the key")
    func wrongSecret() async throws {
        let (directory, file) = Self.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = OAuthStore(kv: try SQLiteKV(path: file))
        _ = try await Self.keys().sign(Self.claims(), store: store, env: Self.env)
        let before = try await Self.keys().summaries(store: store)

        let wrong = Env(secrets: ["SIGNING_KEY_ENCRYPTION_KEY": "another-secret-of-enough-length-000000"])
        let error = await #expect(throws: OAuthProviderError.self) {
            try await Self.keys().sign(Self.claims(), store: store, env: wrong)
        }
        #expect(error?.message.contains("SIGNING_KEY_ENCRYPTION_KEY") == true)
        #expect(error?.message.contains("cannot be decrypted") == true)
        #expect(try await Self.keys().summaries(store: store) == before)
    }

    @Test("a missing or short secret fails with an error naming it, before anything is stored")
    func missingSecret() async throws {
        let (directory, file) = Self.database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = OAuthStore(kv: try SQLiteKV(path: file))
        let signing = AccessTokenSigning(encryptionKeyName: "JWT_KEYS_SECRET")
        let missing = await #expect(throws: OAuthProviderError.self) {
            try await Self.keys(signing).sign(Self.claims(), store: store, env: Env(vars: ["JWT_KEYS_SECRET": .string(Self.secret)]))
        }
        #expect(missing?.message.contains("JWT_KEYS_SECRET is not set") == true, "a [vars] value is not a secret")
        let short = await #expect(throws: OAuthProviderError.self) {
            try await Self.keys(signing).sign(Self.claims(), store: store, env: Env(secrets: ["JWT_KEYS_SECRET": "short"]))
        }
        #expect(short?.message.contains("at least 32 characters") == true)
        #expect(try await Self.keys().summaries(store: store).isEmpty)
    }
}
