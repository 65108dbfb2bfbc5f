import Foundation
import HTTPTypes
import Testing
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@testable import GitHubMCP

/// `github-mcp` as the authorization server of a second MCP server: the `notes-mcp` binary trusts its sign-in and
/// checks its JWT access tokens offline against its JWK Set.
@Suite("notes-mcp trusting github-mcp's sign-in")
struct NotesWithGitHubMCPTests {
    static let signingSecret = "github-mcp-signing-key-encryption-key-for-tests"

    /// github-mcp (in process, against a fake GitHub) with the notes server as a JWT resource, and the notes-mcp
    /// binary on a port chosen first, trusting it, refetching its key set after a second.
    static func start() async throws -> (harness: GitHubMCPHarness, notes: ChildServer, notesURI: URL, directory: URL) {
        let port = try #require(LoopbackPort.free())
        let notesURI = URL(string: "http://127.0.0.1:\(port)/mcp")!
        let harness = try await GitHubMCPHarness.start(
            vars: [
                "RESOURCE_SERVERS": .string(#"[{"uri":"\#(notesURI.absoluteString)","scopes":["notes:read","notes:write"],"name":"Notes"}]"#)
            ],
            secrets: ["SIGNING_KEY_ENCRYPTION_KEY": signingSecret]
        )
        let directory = try WorkerCommandTests.project(wranglerTOML: """
            name = "notes-mcp-e2e"
            [[kv_namespaces]]
            binding = "NOTES"
            id = "notes"
            [vars]
            AUTHORIZATION_SERVER = "\(harness.server.url("/").origin)"
            RESOURCE_URI = "\(notesURI.absoluteString)"
            JWKS_CACHE_TTL = "1"
            JWKS_REFRESH_COOLDOWN = "0"
            """)
        let notes = try ChildServer.start(NotesMCPTests.binary, arguments: ["serve", "--ip", "127.0.0.1", "--port", "\(port)"], in: directory)
        return (harness, notes, notesURI, directory)
    }

    /// Signs `login` in at github-mcp for the notes resource with `scope`: the token response.
    static func signIn(_ harness: GitHubMCPHarness, resource: URL, scope: String, as login: String = "octo") async throws -> JSONValue {
        let clientID = try await harness.register(name: "notes client")
        let pkce = GitHubMCPHarness.pkce()
        let authorize = harness.authorizeURL(clientID: clientID, state: "s", challenge: pkce.challenge, resource: resource, scope: scope)
        let (_, final) = try await GitHubMCPTests.approveInBrowser(harness, Browser(), authorize: authorize, as: login)
        let code = try #require(final.query("code"))
        let response = try await harness.token(code: code, clientID: clientID, verifier: pkce.verifier, resource: resource)
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json)
    }

    @Test("a JWT from github-mcp is checked offline by notes-mcp, refused by github-mcp's own /mcp, and refused once key rotation removes its key")
    func jwtAcrossServers() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: NotesMCPTests.binary.path), "build with swift build --build-tests")
        let (harness, notes, notesURI, directory) = try await Self.start()
        defer { try? FileManager.default.removeItem(at: directory) }

        let issued = try await Self.signIn(harness, resource: notesURI, scope: "notes:read notes:write")
        let jwt = try #require(issued["access_token"]?.stringValue)
        let session = try await NotesMCPTests.initialize(notes, token: jwt)
        let whoami = try await NotesMCPTests.call(notes, token: jwt, session: session, "whoami", id: 2)
        let added = try await NotesMCPTests.call(notes, token: jwt, session: session, "add_note", #"{"text":"from github-mcp"}"#, id: 3)
        let listed = try await NotesMCPTests.call(notes, token: jwt, session: session, "list_notes", id: 4)
        // The same token at github-mcp's own resource: bound to notes, refused.
        let atGitHubMCP = try await harness.http.send(
            .post, harness.mcpURL, headers: NotesMCPTests.headers(jwt), body: #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
        )

        // Rotation, then removal of the key that signed the token (a compromised key).
        let helpers = try harness.provider.helpers(env: harness.env)
        let rotated = try await helpers.rotateSigningKey()
        let retired = try #require(rotated.retiredKeyID)
        try await helpers.removeSigningKey(retired)
        let jwks = try await harness.http.send(.get, harness.server.url("/.well-known/jwks.json"))
        try await Task.sleep(for: .milliseconds(1500))  // notes-mcp's key set is fresh for a second
        let afterRemoval = try await NotesMCPTests.call(notes, token: jwt, session: session, "list_notes", id: 5)
        let fresh = try #require(try await Self.signIn(harness, resource: notesURI, scope: "notes:read")["access_token"]?.stringValue)
        let freshSession = try await NotesMCPTests.initialize(notes, token: fresh)
        let withNewKey = try await NotesMCPTests.call(notes, token: fresh, session: freshSession, "list_notes", id: 6)

        _ = await notes.stop(signal: SIGTERM)
        try await harness.stop()

        let identity = try JSONValue(parsing: Data(try #require(try BearerTokenTests.toolText(whoami), "\(whoami.text)").utf8))
        #expect(identity["sub"] == "583231", "github-mcp's user id: the GitHub account id of octo")
        #expect(identity["scopes"] == ["notes:read", "notes:write"])
        #expect(try BearerTokenTests.toolText(added) == "Saved.")
        #expect(try BearerTokenTests.toolText(listed) == #"["from github-mcp"]"#)
        #expect(atGitHubMCP.status == 401)
        #expect(jwks.json?["keys"]?.arrayValue?.compactMap { $0["kid"]?.stringValue }.contains(retired) == false)
        #expect(afterRemoval.status == 401, "\(afterRemoval.text)")
        #expect(afterRemoval.header("www-authenticate")?.contains("invalid_token") == true)
        #expect(withNewKey.status == 200)
        #expect(try BearerTokenTests.toolText(withNewKey) == #"["from github-mcp"]"#, "the same user's notes")
    }
}
