import Crypto
import Foundation
import HTTPTypes
import Synchronization
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// Client ID Metadata Documents against the real `conformance-fixture` binary: documents served over real HTTPS by
/// a server this test starts, signed by a throwaway CA the fixture trusts (`--cimd-ca-file`), under the public host
/// names of the anchor's scenarios, reached through `--cimd-connect-to`.
@Suite("CIMD against the conformance-fixture executable", .serialized)
struct CIMDFixtureTests {
    static let origin = "https://mcp.example.com"
    static let verifier = "conformance-code-verifier-that-is-at-least-43-characters"
    static let chatGPT = "https://chatgpt.com/oauth/IbUR3zxyNQ16/client.json"
    static let chatGPTRedirect = "https://chatgpt.com/connector/oauth/IbUR3zxyNQ16"
    static let docs = "https://client.test.example"

    /// The document server: a path's document, content type and cache header, or a behaviour.
    final class Documents: Sendable {
        struct Entry: Sendable {
            var body: String
            var contentType = "application/json"
            var cacheControl: String?
            var status: HTTPResponse.Status = .ok
            /// Held until the gate opens before answering.
            var gate: TestGate?
        }
        private let entries = Mutex<[String: Entry]>([:])
        private let hits = Mutex<[String]>([])

        func serve(_ path: String, _ entry: Entry) { entries.withLock { $0[path] = entry } }
        func serve(_ path: String, json: JSONValue, cacheControl: String? = nil) {
            serve(path, Entry(body: json.jsonString, cacheControl: cacheControl))
        }
        func fetches(of path: String) -> Int { hits.withLock { $0.filter { $0 == path }.count } }

        func respond(_ request: Request) async throws -> Response {
            hits.withLock { $0.append(request.path) }
            guard let entry = entries.withLock({ $0[request.path] }) else { return Response.text("no such document", status: .notFound) }
            if let gate = entry.gate { await gate.wait() }
            var headers = HTTPFields()
            headers[.contentType] = entry.contentType
            if let cacheControl = entry.cacheControl { headers[.cacheControl] = cacheControl }
            if entry.status.kind == .redirection { headers[.location] = "https://client.test.example/elsewhere.json" }
            return Response(status: entry.status, headers: headers, body: ResponseBody(string: entry.body))
        }
    }

    /// The document server, the CA, and a fixture trusting it.
    struct Setup {
        let documents: Documents
        let server: LiveServer
        let ca: TestCertificateAuthority
        let fixture: ChildServer
        let kvDir: URL
    }

    static func withSetup<T>(_ extra: [String] = [], _ body: (Setup) async throws -> T) async throws -> T {
        let binary = ChildServer.sibling("conformance-fixture")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build with swift build --build-tests")
        let ca = try TestCertificateAuthority()
        let leaf = try ca.issue(for: ["chatgpt.com", "client.test.example"])
        let documents = Documents()
        let server = try await LiveServer.start(
            worker: Worker { request, _, _ in try await documents.respond(request) },
            configuration: .init(tls: .init(certificatePath: leaf.certificate.path, privateKeyPath: leaf.privateKey.path), logRequests: false)
        )
        let kvDir = FileManager.default.temporaryDirectory.appendingPathComponent("cimd-\(UUID().uuidString)")
        let fixture = try ChildServer.start(
            binary,
            arguments: [
                "--port", "0", "--origin", origin, "--kv-dir", kvDir.path, "--cimd-ca-file", ca.certificateFile.path,
                "--cimd-connect-to", "chatgpt.com:443:127.0.0.1:\(server.port)",
                "--cimd-connect-to", "client.test.example:443:127.0.0.1:\(server.port)",
            ] + extra,
            announcement: .standardOutput
        )
        let setup = Setup(documents: documents, server: server, ca: ca, fixture: fixture, kvDir: kvDir)
        defer { try? FileManager.default.removeItem(at: kvDir) }
        do {
            let result = try await body(setup)
            _ = await fixture.stop()
            try await server.stop()
            ca.remove()
            return result
        } catch {
            _ = await fixture.stop()
            try? await server.stop()
            ca.remove()
            throw error
        }
    }

    static func document(_ url: String, redirect: String = "https://client.test.example/callback", _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var document: [String: JSONValue] = [
            "client_id": .string(url), "client_name": "Test Client", "redirect_uris": [.string(redirect)],
            "token_endpoint_auth_method": "none",
        ]
        for (key, value) in extra { document[key] = value }
        return .object(document)
    }

    static func authorize(_ fixture: ChildServer, clientID: String, redirect: String = "https://client.test.example/callback") async throws
        -> TestResponse
    {
        var query = URLComponents()
        query.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: clientID),
            .init(name: "redirect_uri", value: redirect), .init(name: "scope", value: "mcp:read"), .init(name: "state", value: "s"),
            .init(name: "code_challenge", value: Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncodedString()),
            .init(name: "code_challenge_method", value: "S256"), .init(name: "resource", value: origin + "/mcp"),
        ]
        return try await TestClient().send(.get, fixture.url("/authorize?\(query.percentEncodedQuery!)"))
    }

    /// The authorization answer is the fixture's 400 with a description containing "CIMD fetch failed" and `detail`.
    static func expectFetchFailure(_ response: TestResponse, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 400, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json?["error"]?.stringValue == "invalid_request", sourceLocation: sourceLocation)
        let description = response.json?["error_description"]?.stringValue ?? ""
        #expect(description.contains("CIMD fetch failed"), "\(description)", sourceLocation: sourceLocation)
        #expect(description.contains(detail), "\(description)", sourceLocation: sourceLocation)
    }

    @Test("the live ChatGPT document shape, with DCR off: metadata advertises CIMD, and a public-client flow completes")
    func chatGPTFlow() async throws {
        try await Self.withSetup(["--no-dcr", "--canonical-resource"]) { setup in
            setup.documents.serve("/oauth/IbUR3zxyNQ16/client.json", json: [
                "client_id": .string(Self.chatGPT), "client_name": "ChatGPT", "redirect_uris": [.string(Self.chatGPTRedirect)],
                "grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
                "response_types": ["code", "id_token"], "token_endpoint_auth_method": "private_key_jwt",
                "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
                "token_endpoint_auth_signing_alg": "RS256", "jwks_uri": "https://chatgpt.com/oauth/IbUR3zxyNQ16/jwks.json",
            ])
            let metadata = try await TestClient().send(.get, setup.fixture.url("/.well-known/oauth-authorization-server"))
            #expect(metadata.json?["client_id_metadata_document_supported"] == .bool(true))
            #expect(metadata.json?["registration_endpoint"] == nil)

            let authorize = try await Self.authorize(setup.fixture, clientID: Self.chatGPT, redirect: Self.chatGPTRedirect)
            #expect(authorize.status == 302, "\(authorize.text)")
            let location = try #require(authorize.header("location").flatMap(URLComponents.init(string:)))
            #expect(location.string?.hasPrefix(Self.chatGPTRedirect) == true)
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
            #expect(setup.documents.fetches(of: "/oauth/IbUR3zxyNQ16/client.json") >= 1)

            let token = try await TestClient().postForm(setup.fixture.url("/oauth/token"), [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.chatGPTRedirect),
                ("code_verifier", Self.verifier), ("client_id", Self.chatGPT), ("resource", Self.origin + "/mcp"),
            ])
            #expect(token.status == 200, "\(token.text)")
            let accessToken = try #require(token.json?["access_token"]?.stringValue)
            let api = try await TestClient().send(.get, setup.fixture.url("/mcp"), headers: [("Authorization", "Bearer \(accessToken)")])
            #expect(api.status == 200)
            #expect(api.json?["authenticated"] == .bool(true))

            // A public client: presenting a secret is not its method.
            let withSecret = try await TestClient().postForm(setup.fixture.url("/oauth/token"), [
                ("grant_type", "refresh_token"), ("refresh_token", token.json?["refresh_token"]?.stringValue ?? ""),
                ("client_id", Self.chatGPT), ("client_secret", "guess"),
            ])
            #expect(withSecret.status == 401)
        }
    }

    @Test("a document whose client_id is not its URL: /authorize 400 \"CIMD fetch failed\", the token endpoint 401 Client not found")
    func mismatchedClientID() async throws {
        try await Self.withSetup { setup in
            let url = Self.docs + "/mismatch.json"
            setup.documents.serve("/mismatch.json", json: Self.document("https://attacker.example/client.json"))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: url), "does not match")
            let token = try await TestClient().postForm(setup.fixture.url("/oauth/token"), [
                ("grant_type", "authorization_code"), ("code", "x"), ("code_verifier", Self.verifier), ("client_id", url),
            ])
            #expect(token.status == 401)
            #expect(token.json?["error"]?.stringValue == "invalid_client")
            #expect(token.json?["error_description"]?.stringValue == "Client not found")
        }
    }

    @Test("every document rule holds over the real fetch path")
    func documentRules() async throws {
        let cases: [(String, [String: JSONValue], String)] = [
            ("no-name", ["client_name": .null], "client_name is required"),
            ("no-redirects", ["redirect_uris": []], "redirect_uris is required"),
            ("bad-redirect", ["redirect_uris": ["http://client.test.example/cb"]], "Invalid redirect URI"),
            ("secret", ["client_secret": "s3cret"], "must not contain client secrets"),
            ("private-jwk", ["jwks": ["keys": [["kty": "EC", "d": "x"]]]], "private key material"),
            ("symmetric", ["token_endpoint_auth_method": "client_secret_basic"], "symmetric"),
            ("only-private-key-jwt", ["token_endpoint_auth_method": "private_key_jwt"], "does not support an accepted"),
            ("web-loopback", ["application_type": "web", "redirect_uris": ["http://127.0.0.1:9/cb"]], "web client"),
            ("inconsistent", ["grant_types": ["refresh_token"]], "must be used together"),
        ]
        try await Self.withSetup { setup in
            for (name, changes, reason) in cases {
                let url = Self.docs + "/\(name).json"
                guard case .object(var document) = Self.document(url) else { continue }
                for (key, value) in changes { document[key] = value }
                setup.documents.serve("/\(name).json", json: .object(document))
                Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: url), reason)
            }
            setup.documents.serve("/html.json", .init(body: Self.document(Self.docs + "/html.json").jsonString, contentType: "text/html"))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: Self.docs + "/html.json"), "not JSON")
            setup.documents.serve("/latin1.json", .init(body: "{}", contentType: "application/json; charset=iso-8859-1"))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: Self.docs + "/latin1.json"), "not UTF-8")
            setup.documents.serve("/broken.json", .init(body: "{\"client_id\":"))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: Self.docs + "/broken.json"), "not valid JSON")
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: Self.docs + "/missing.json"), "HTTP 404")
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: Self.docs + "/a/../b.json"), "dot path segments")
        }
    }

    @Test("a document larger than 5 KiB, or a redirect, is refused")
    func sizeAndRedirects() async throws {
        try await Self.withSetup { setup in
            let big = Self.docs + "/big.json"
            setup.documents.serve("/big.json", json: Self.document(big, ["padding": .string(String(repeating: "x", count: 6000))]))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: big), "5120")
            let moved = Self.docs + "/moved.json"
            setup.documents.serve("/moved.json", .init(body: "", status: .found))
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: moved), "HTTP 302")
            #expect(setup.documents.fetches(of: "/elsewhere.json") == 0)
        }
    }

    @Test("a server slower than 10 s is abandoned with a timeout, while it still holds its answer")
    func slowServer() async throws {
        try await Self.withSetup { setup in
            let slow = Self.docs + "/slow.json"
            let gate = TestGate()
            setup.documents.serve("/slow.json", .init(body: Self.document(slow).jsonString, gate: gate))
            let started = ContinuousClock.now
            Self.expectFetchFailure(try await Self.authorize(setup.fixture, clientID: slow), "timed out")
            #expect(ContinuousClock.now - started >= .seconds(9.5), "the budget is 10 s")
            #expect(gate.open(), "the fetch gave up while the server was still holding its answer")
        }
    }

    @Test("documents are cached in the store per Cache-Control, and not at all for no-store")
    func caching() async throws {
        try await Self.withSetup { setup in
            let cached = Self.docs + "/cached.json"
            setup.documents.serve("/cached.json", json: Self.document(cached), cacheControl: "public, max-age=300")
            let uncached = Self.docs + "/uncached.json"
            setup.documents.serve("/uncached.json", json: Self.document(uncached), cacheControl: "no-store")
            for _ in 0..<3 {
                let first = try await Self.authorize(setup.fixture, clientID: cached)
                let second = try await Self.authorize(setup.fixture, clientID: uncached)
                #expect(first.status == 302, "\(first.text)")
                #expect(second.status == 302, "\(second.text)")
            }
            #expect(setup.documents.fetches(of: "/cached.json") == 1)
            #expect(setup.documents.fetches(of: "/uncached.json") == 3)
        }
    }

    @Test("SSRF: client ids on loopback literals are refused, and nothing connects to the listener there")
    func ssrf() async throws {
        let v4 = try await ConnectionCountingListener.start(host: "127.0.0.1")
        let v6 = try? await ConnectionCountingListener.start(host: "::1")
        try await Self.withSetup { setup in
            Self.expectFetchFailure(
                try await Self.authorize(setup.fixture, clientID: "https://127.0.0.1:\(v4.port)/client.json"), "not a public address")
            Self.expectFetchFailure(
                try await Self.authorize(setup.fixture, clientID: "https://localhost:\(v4.port)/client.json"), "not a public address")
            if let v6 {
                Self.expectFetchFailure(
                    try await Self.authorize(setup.fixture, clientID: "https://[::1]:\(v6.port)/client.json"), "not a public address")
            }
            Self.expectFetchFailure(
                try await Self.authorize(setup.fixture, clientID: "https://169.254.169.254/latest/meta-data/"), "link-local")
        }
        #expect(v4.connections == 0)
        #expect(v6?.connections ?? 0 == 0)
        await v4.stop()
        await v6?.stop()
    }

    @Test("--no-cimd: not advertised, and a URL client id is an unknown client, never fetched")
    func disabled() async throws {
        try await Self.withSetup(["--no-cimd"]) { setup in
            let url = Self.docs + "/client.json"
            setup.documents.serve("/client.json", json: Self.document(url))
            let metadata = try await TestClient().send(.get, setup.fixture.url("/.well-known/oauth-authorization-server"))
            #expect(metadata.json?["client_id_metadata_document_supported"] == nil)
            let authorize = try await Self.authorize(setup.fixture, clientID: url)
            #expect(authorize.status == 400)
            #expect(authorize.json?["error_description"]?.stringValue == "Invalid client_id")
            #expect(setup.documents.fetches(of: "/client.json") == 0)
        }
    }
}
