import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// `oauth keys list|rotate|remove` through the real `bearer-token` binary, on the SQLite file a live provider with
/// JWT signing on serves its JWK Set from.
@Suite("oauth keys commands through a worker executable")
struct OAuthKeysCommandTests {
    static let secret = "cli-signing-secret-0123456789-abcdefghij"

    static func oauth(_ arguments: [String], in directory: URL) async throws -> WorkerCommandTests.Run {
        try await WorkerCommandTests.run(["oauth", "keys"] + arguments, in: directory)
    }

    /// The provider over the project's store, signing with the defaults, on `clock` (started now, so that the
    /// commands' real dates and the provider's agree).
    static func provider(_ directory: URL, clock: TestClock) async throws -> LiveServer {
        let kv = try SQLiteKV(path: directory.appendingPathComponent(".wrangler/state/kv/oauth.sqlite"))
        let env = Env(secrets: ["SIGNING_KEY_ENCRYPTION_KEY": secret], bindings: ["OAUTH_KV": kv])
        let notFound = FetchHandler { _, _, _ in .text("Not Found\n", status: .notFound) }
        let provider = try OAuthProvider(
            apiRoute: ["/api/"], apiHandler: notFound, defaultHandler: notFound,
            options: .init(accessTokenSigning: AccessTokenSigning(), now: clock.nowFunction)
        )
        return try await LiveServer.start(worker: Worker(fetch: provider), env: env)
    }

    static func publishedKids(_ server: LiveServer) async throws -> Set<String> {
        let response = try await TestClient().send(.get, server.url("/.well-known/jwks.json"))
        return Set(response.json?["keys"]?.arrayValue?.compactMap { $0["kid"]?.stringValue } ?? [])
    }

    @Test("rotate makes a new current key the worker publishes; remove takes a retired key out and refuses the current one")
    func rotateListRemove() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerCommandTests.binary.path), "build with swift build --build-tests")
        let directory = try OAuthAdminCommandTests.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let put = try await WorkerCommandTests.run(["secret", "put", "SIGNING_KEY_ENCRYPTION_KEY"], in: directory, stdin: Self.secret + "\n")
        #expect(put.status == 0, "\(put.stderr)")

        let empty = try await Self.oauth(["list", "--json"], in: directory)
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(try JSONValue(parsing: Data(empty.stdout.utf8)) == [])

        // The worker generates the first key on first use.
        let clock = TestClock(Date())
        let server = try await Self.provider(directory, clock: clock)
        let first = try await Self.publishedKids(server)
        #expect(first.count == 1)
        let firstKid = try #require(first.first)

        let rotate = try await Self.oauth(["rotate"], in: directory)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        let newKid = try #require(rotate.stdout.split(separator: "\n").first?.split(separator: " ").dropFirst().first.map(String.init))
        #expect(rotate.stdout.contains("retired: \(firstKid), published until "))
        #expect(newKid != firstKid)

        let list = try await Self.oauth(["list", "--json"], in: directory)
        let keys = try JSONValue(parsing: Data(list.stdout.utf8)).arrayValue ?? []
        #expect(keys.compactMap { $0["kid"]?.stringValue } == [newKid, firstKid])
        #expect(keys.compactMap { $0["state"]?.stringValue } == ["current", "retired"])
        #expect(keys.first?["alg"] == "ES256" && keys.last?["publishedUntil"] != nil)
        let table = try await Self.oauth(["list"], in: directory)
        #expect(table.stdout.hasPrefix("KID") && table.stdout.contains(newKid) && table.stdout.contains("while current"))

        // The worker picks the rotation up when it re-reads the key set.
        clock.advance(by: 31)
        #expect(try await Self.publishedKids(server) == [firstKid, newKid])

        let current = try await Self.oauth(["remove", "--", newKid], in: directory)
        #expect(current.status == 1 && current.stderr.contains("current key"))
        let unknown = try await Self.oauth(["remove", "--", "no-such-key-0000"], in: directory)
        #expect(unknown.status == 1 && unknown.stderr.contains("no signing key"))
        let remove = try await Self.oauth(["remove", "--", firstKid], in: directory)
        #expect(remove.status == 0, "\(remove.stderr)")
        let after = try JSONValue(parsing: Data(try await Self.oauth(["list", "--json"], in: directory).stdout.utf8))
        #expect(after.arrayValue?.compactMap { $0["kid"]?.stringValue } == [newKid])
        clock.advance(by: 31)
        #expect(try await Self.publishedKids(server) == [newKid])
        try await server.stop()

        // At rest: the record, but not the secret.
        let stored = try await WorkerCommandTests.run(["kv", "key", "get", "signing-keys", "--binding", "OAUTH_KV"], in: directory)
        #expect(stored.stdout.contains(newKid) && !stored.stdout.contains(Self.secret))
    }

    @Test("rotate without the secret exits 1 naming it; --secret-name and --algorithm are honoured")
    func secretAndOptions() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerCommandTests.binary.path), "build with swift build --build-tests")
        let directory = try OAuthAdminCommandTests.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try await Self.oauth(["rotate"], in: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("SIGNING_KEY_ENCRYPTION_KEY is not set"), "\(missing.stderr)")

        _ = try await WorkerCommandTests.run(["secret", "put", "JWT_KEYS"], in: directory, stdin: Self.secret + "\n")
        let rotate = try await Self.oauth(["rotate", "--secret-name", "JWT_KEYS", "--algorithm", "RS256", "--json"], in: directory)
        #expect(rotate.status == 0, "\(rotate.stderr)")
        let rotated = try JSONValue(parsing: Data(rotate.stdout.utf8))
        #expect(rotated["alg"] == "RS256" && rotated["retiredKid"] == nil && rotated["kid"]?.stringValue?.count == 16)
        #expect(try await Self.oauth(["rotate", "--algorithm", "HS256", "--secret-name", "JWT_KEYS"], in: directory).status != 0)
        #expect(try await Self.oauth(["list", "--token-lifetime", "10"], in: directory).status != 0)
    }
}
