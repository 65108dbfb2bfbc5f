import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// What the helpers do with metadata-document clients, their documents served over real HTTPS (a test CA,
/// reached through `connectTo`): grants per installation, purge, lookup, never a client record.
@Suite("CIMD clients in the helpers")
struct CIMDGrantTests {
    static let url = "https://app.test.example/client.json"

    /// A provider with CIMD on, whose public fetcher reaches a document server under `app.test.example`.
    struct Setup {
        let harness: ProviderHarness
        let server: LiveServer
        let ca: TestCertificateAuthority
        let document: DocumentBox

        func stop() async throws {
            try await server.stop()
            ca.remove()
        }
    }

    static func setUp(cacheControl: String = "max-age=300", redirect: String = "http://127.0.0.1/callback") async throws -> Setup {
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(for: ["app.test.example"])
        let box = DocumentBox(JSONValue.object([
            "client_id": .string(url), "client_name": "Desktop App", "redirect_uris": [.string(redirect)],
            "grant_types": ["authorization_code", "refresh_token"], "application_type": "native",
        ]).jsonString)
        let server = try await LiveServer.start(
            worker: Worker { _, _, _ in
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                headers[.cacheControl] = cacheControl
                return Response(status: .ok, headers: headers, body: ResponseBody(string: box.text))
            },
            configuration: .init(tls: .init(certificatePath: leaf.certificate.path, privateKeyPath: leaf.privateKey.path), logRequests: false)
        )
        let fetcher = PublicFetcher(
            connectTo: [ConnectToRule(host: "app.test.example", port: 443, address: "127.0.0.1", addressPort: server.port)],
            additionalTrustRoots: try OutboundCABundle(pemFile: ca.certificateFile.path).trustRoots
        )
        let harness = try ProviderHarness(publicFetcher: fetcher) { $0.clientIDMetadataDocuments = true }
        return Setup(harness: harness, server: server, ca: ca, document: box)
    }

    /// The document the server answers with (shared with its handler).
    final class DocumentBox: Sendable {
        private let document: Mutex<String>
        init(_ text: String) { document = Mutex(text) }
        var text: String {
            get { document.withLock { $0 } }
        }
        func set(_ text: String) { document.withLock { $0 = text } }
    }

    static func authorize(_ setup: Setup, redirect: String, userID: String = "alice") async throws -> String {
        var components = URLComponents(string: ProviderHarness.origin + "/authorize")!
        components.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: url),
            .init(name: "redirect_uri", value: redirect), .init(name: "scope", value: "read"), .init(name: "state", value: "s"),
            .init(name: "code_challenge", value: TokenCryptoVectors.s256(ProviderHarness.verifier)),
            .init(name: "code_challenge_method", value: "S256"),
        ]
        let helpers = setup.harness.helpers
        let request = try await helpers.parseAuthRequest(Request(url: components.url!))
        let done = try await helpers.completeAuthorization(
            CompleteAuthorizationOptions(request: request, userID: userID, scope: request.scope, props: ["user": .string(userID)])
        )
        return try #require(URLComponents(string: done.redirectTo)?.queryItems?.first { $0.name == "code" }?.value)
    }

    @Test("a new authorization revokes only the grant of the same installation (same redirect URI)")
    func revokesPerRedirectURI() async throws {
        let setup = try await Self.setUp()
        let helpers = setup.harness.helpers
        _ = try await Self.authorize(setup, redirect: "http://127.0.0.1:1111/callback")
        _ = try await Self.authorize(setup, redirect: "http://127.0.0.1:2222/callback")
        var grants = try await helpers.listUserGrants("alice").items
        #expect(grants.count == 2, "another installation's grant is not an older grant")
        _ = try await Self.authorize(setup, redirect: "http://127.0.0.1:1111/callback")
        grants = try await helpers.listUserGrants("alice").items
        #expect(grants.count == 2)
        #expect(Set(grants.compactMap(\.redirectURI)) == ["http://127.0.0.1:1111/callback", "http://127.0.0.1:2222/callback"])
        try await setup.stop()
    }

    @Test("a metadata-document client is never stored as a client record; its document is cached under cimd:")
    func neverAClientRecord() async throws {
        let setup = try await Self.setUp()
        _ = try await Self.authorize(setup, redirect: "http://127.0.0.1:1111/callback")
        let clients = try await setup.harness.kv.list(KVListOptions(prefix: "client:"))
        #expect(clients.keys.isEmpty)
        let cached = try await setup.harness.kv.list(KVListOptions(prefix: "cimd:"))
        #expect(cached.keys.count == 1)
        #expect(cached.keys.first?.expiration != nil)
        let client = try #require(try await setup.harness.helpers.lookupClient(Self.url))
        #expect(client.isMetadataDocumentClient && client.applicationType == .native && client.clientName == "Desktop App")
        try await setup.stop()
    }

    @Test("purge never counts a metadata-document client's grant as orphaned, but purges it once expired")
    func purge() async throws {
        let setup = try await Self.setUp()
        let code = try await Self.authorize(setup, redirect: "http://127.0.0.1:1111/callback")
        let token = try await setup.harness.client.postForm("/oauth/token", [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "http://127.0.0.1:1111/callback"),
            ("code_verifier", ProviderHarness.verifier), ("client_id", Self.url),
        ])
        #expect(token.status == 200, "\(token.text)")
        var result = try await setup.harness.helpers.purgeExpiredData()
        #expect(result.grantsChecked == 1)
        #expect(result.grantsPurged == 0)
        #expect(try await setup.harness.helpers.listUserGrants("alice").items.count == 1)
        // A grant past its expiresAt whose KV entry outlived it (a store that does not expire keys itself):
        let key = try #require(try await setup.harness.kv.list(KVListOptions(prefix: "grant:alice:")).keys.first?.name)
        let grant = try #require(try await setup.harness.kv.getEntry(key))
        try await setup.harness.kv.put(key, bytes: grant.value, options: KVPutOptions())
        setup.harness.clock.advance(by: 31 * 86_400)
        result = try await setup.harness.helpers.purgeExpiredData()
        #expect(result.grantsPurged == 1)
        try await setup.stop()
    }

    @Test("lookupClient throws CIMDFetchError for an unusable document; createClient refuses https URL ids")
    func errors() async throws {
        let setup = try await Self.setUp(cacheControl: "no-store")
        setup.document.set(#"{"client_id":"https://elsewhere.example/x","client_name":"X","redirect_uris":["https://a.example/cb"]}"#)
        await #expect(throws: CIMDFetchError.self) { _ = try await setup.harness.helpers.lookupClient(Self.url) }
        await #expect(throws: OAuthProviderError.self) {
            _ = try await setup.harness.helpers.createClient(ClientInfo(clientID: "https://mine.example/app", redirectURIs: ["https://a.example/cb"]))
        }
        try await setup.stop()
    }
}
