import Crypto
import Foundation
import HTTPTypes
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

/// `oauth clients|grants|purge` through the real `bearer-token` binary (every worker executable has them), against
/// the SQLite file a live provider in this process serves from.
@Suite("oauth admin commands through a worker executable")
struct OAuthAdminCommandTests {
    static let redirect = "https://app.example.com/callback"

    /// A project whose `OAUTH_KV` is `.wrangler/state/kv/oauth.sqlite`.
    static func project() throws -> URL {
        try WorkerCommandTests.project(binding: "OAUTH_KV", id: "oauth")
    }

    /// The provider over the project's store, approving every authorization as `-alice` (a user id that looks like an option).
    static func provider(_ directory: URL) async throws -> (server: LiveServer, kv: SQLiteKV) {
        let kv = try SQLiteKV(path: directory.appendingPathComponent(".wrangler/state/kv/oauth.sqlite"))
        let env = Env(bindings: ["OAUTH_KV": kv])
        let approve = FetchHandler { request, env, _ in
            let helpers = try #require(env.oauthProvider)
            let auth = try await helpers.parseAuthRequest(request)
            let done = try await helpers.completeAuthorization(
                CompleteAuthorizationOptions(request: auth, userID: "-alice", scope: auth.scope, props: ["name": "Alice"]))
            return try Response.redirect(done.redirectTo)
        }
        let api = FetchHandler { _, _, ctx in try Response.json(ctx.props ?? .null) }
        let provider = try OAuthProvider(apiRoute: ["/api/"], apiHandler: api, defaultHandler: approve, options: .init())
        return (try await LiveServer.start(worker: Worker(fetch: provider), env: env), kv)
    }

    static func oauth(_ arguments: [String], in directory: URL) async throws -> WorkerCommandTests.Run {
        try await WorkerCommandTests.run(["oauth"] + arguments, in: directory)
    }

    /// Authorizes `clientID` and exchanges the code: the access token.
    static func accessToken(_ server: LiveServer, clientID: String, secret: String) async throws -> String {
        let verifier = RandomToken.base64URL(byteCount: 32)
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()
        var components = URLComponents(url: server.url("/authorize"), resolvingAgainstBaseURL: false)!
        components.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: redirect), .init(name: "state", value: "s"),
            .init(name: "code_challenge", value: challenge), .init(name: "code_challenge_method", value: "S256"),
        ]
        let client = TestClient()
        let authorize = try await client.send(.get, components.url!)
        let location = try #require(authorize.header("location"))
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        let basic = Data("\(clientID):\(secret)".utf8).base64EncodedString()
        let token = try await client.postForm(
            server.url("/token"),
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("code_verifier", verifier)],
            headers: [("Authorization", "Basic \(basic)")])
        return try #require(token.json?["access_token"]?.stringValue, "\(token.text)")
    }

    @Test("clients create prints the secret once; list and show never print it or its stored hash")
    func clients() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerCommandTests.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }

        let create = try await Self.oauth(
            ["clients", "create", "--redirect-uri", Self.redirect, "--name", "Team\u{1b}[31m tool", "--json"], in: directory)
        #expect(create.status == 0, "\(create.stderr)")
        let created = try JSONValue(parsing: Data(create.stdout.utf8))
        let id = try #require(created["clientId"]?.stringValue)
        let secret = try #require(created["clientSecret"]?.stringValue)
        #expect(created["type"] == "confidential")
        #expect(create.stderr.contains("shown once"))
        let hash = SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()

        // At rest: the hash, never the secret.
        let stored = try await WorkerCommandTests.run(["kv", "key", "get", "client:\(id)", "--binding", "OAUTH_KV"], in: directory)
        #expect(stored.stdout.contains(hash) && !stored.stdout.contains(secret))

        let public_ = try await Self.oauth(["clients", "create", "--redirect-uri", "http://127.0.0.1/cb", "--public", "--json"], in: directory)
        let publicID = try #require(try JSONValue(parsing: Data(public_.stdout.utf8))["clientId"]?.stringValue)
        #expect(try JSONValue(parsing: Data(public_.stdout.utf8))["clientSecret"] == nil)

        let listJSON = try await Self.oauth(["clients", "list", "--json"], in: directory)
        let listed = try JSONValue(parsing: Data(listJSON.stdout.utf8)).arrayValue ?? []
        #expect(Set(listed.compactMap { $0["clientId"]?.stringValue }) == [id, publicID])
        #expect(listed.first { $0["clientId"]?.stringValue == publicID }?["type"] == "public")
        let table = try await Self.oauth(["clients", "list"], in: directory)
        #expect(table.stdout.hasPrefix("CLIENT ID"))
        #expect(table.stdout.contains(id) && table.stdout.contains(publicID))
        // A registered name cannot write escape sequences to the operator's terminal.
        #expect(!table.stdout.contains("\u{1b}") && table.stdout.contains("Team\\u{1B}[31m tool"))
        let show = try await Self.oauth(["clients", "show", "--", id], in: directory)
        #expect(show.status == 0 && show.stdout.contains(Self.redirect))
        for output in [listJSON.stdout, table.stdout, show.stdout, try await Self.oauth(["clients", "show", "--json", "--", id], in: directory).stdout] {
            #expect(!output.contains(hash) && !output.contains(secret))
        }

        #expect(try await Self.oauth(["clients", "create", "--name", "x"], in: directory).status != 0)
        let bad = try await Self.oauth(["clients", "create", "--redirect-uri", "javascript:alert(1)"], in: directory)
        #expect(bad.status != 0 && bad.stderr.contains("not created"))

        #expect(try await Self.oauth(["clients", "delete", "--", id], in: directory).status == 0)
        let gone = try await Self.oauth(["clients", "show", "--", id], in: directory)
        #expect(gone.status != 0 && gone.stderr.contains("No client"))
        #expect(try await Self.oauth(["clients", "delete", "--", id], in: directory).status != 0)
    }

    @Test("grants list shows a user's grant; grants revoke stops its token at once; purge sweeps orphans")
    func grants() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: WorkerCommandTests.binary.path), "build with swift build --build-tests")
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(at: directory) }
        let create = try await Self.oauth(["clients", "create", "--redirect-uri", Self.redirect, "--json"], in: directory)
        let created = try JSONValue(parsing: Data(create.stdout.utf8))
        let id = try #require(created["clientId"]?.stringValue), secret = try #require(created["clientSecret"]?.stringValue)

        let (server, kv) = try await Self.provider(directory)
        let token = try await Self.accessToken(server, clientID: id, secret: secret)
        let bearer = [("Authorization", "Bearer \(token)")]
        #expect(try await TestClient().send(.get, server.url("/api/me"), headers: bearer).status == 200)

        let list = try await Self.oauth(["grants", "list", "--user", "-alice", "--json"], in: directory)
        let grants = try JSONValue(parsing: Data(list.stdout.utf8)).arrayValue ?? []
        #expect(grants.count == 1)
        #expect(grants.first?["clientId"]?.stringValue == id)
        let grantID = try #require(grants.first?["id"]?.stringValue)
        #expect(!list.stdout.contains(token) && !list.stdout.contains("Alice"))
        let table = try await Self.oauth(["grants", "list", "--user", "-alice"], in: directory)
        #expect(table.stdout.hasPrefix("GRANT ID") && table.stdout.contains(grantID))
        #expect(try await Self.oauth(["grants", "list", "--user", "bob", "--json"], in: directory).stdout.contains("[") )

        let wrongUser = try await Self.oauth(["grants", "revoke", "--user", "bob", "--grant", grantID], in: directory)
        #expect(wrongUser.status != 0)
        #expect(try await TestClient().send(.get, server.url("/api/me"), headers: bearer).status == 200)
        let revoke = try await Self.oauth(["grants", "revoke", "--user", "-alice", "--grant", grantID], in: directory)
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(try await TestClient().send(.get, server.url("/api/me"), headers: bearer).status == 401)
        #expect(try await Self.oauth(["grants", "list", "--user", "-alice", "--json"], in: directory).stdout.contains(grantID) == false)

        // A grant whose client record is gone is an orphan: purge finds it.
        _ = try await Self.accessToken(server, clientID: id, secret: secret)
        try await kv.delete("client:\(id)")
        let purge = try await Self.oauth(["purge", "--json", "--batch-size", "1"], in: directory)
        try await server.stop()
        #expect(purge.status == 0, "\(purge.stderr)")
        let summary = try JSONValue(parsing: Data(purge.stdout.utf8))
        #expect(summary["grantsPurged"] == 1)
        #expect(purge.stderr.contains("purge: batch 1:"))
        #expect(try await Self.oauth(["grants", "list", "--user", "-alice", "--json"], in: directory).stdout.contains(id) == false)
    }
}
