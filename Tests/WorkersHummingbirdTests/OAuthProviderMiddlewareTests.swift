import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WorkersHummingbird
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime

@testable import HummingbirdApp

@Suite("OAuthProviderMiddleware and mounted Workers")
struct OAuthProviderMiddlewareTests {
    /// An app context of the user's own, with more than the props.
    struct AppContext: OAuthRequestContext {
        var coreContext: CoreRequestContextStorage
        var oauthProps: JSONValue?
        var requestID = UUID()
        init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
    }

    @Test("a protected route reads its own request body (the middleware only reads the head); endpoint bodies are limited")
    func bodies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hb-mw-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let env = Env(bindings: ["OAUTH_KV": try SQLiteKV(path: directory.appendingPathComponent("kv.sqlite"))])
        let router = try HummingbirdApp.router(env: env, configuration: WorkerBridgeConfiguration(maxBodySize: 4096))
        router.post("/api/upload") { request, context -> String in
            let body = try await request.body.collect(upTo: 1 << 20)
            return "\(context.oauthProps?["login"]?.stringValue ?? "-") sent \(body.readableBytes) bytes\n"
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let token = try await HummingbirdAppTests.signIn(client, as: "bob")
            let upload = try await client.execute(
                uri: "/api/upload", method: .post, headers: [.authorization: "Bearer \(token)"],
                body: ByteBuffer(repeating: 0x61, count: 100_000))
            #expect(upload.status == .ok)
            #expect(String(buffer: upload.body) == "bob sent 100000 bytes\n")

            let refused = try await client.execute(
                uri: "/api/upload", method: .post, body: ByteBuffer(repeating: 0x61, count: 10))
            #expect(refused.status == .unauthorized)

            let tooLarge = try await client.execute(
                uri: "/register", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(repeating: 0x20, count: 5000))
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test("an app's own context type gets the props; a CORS preflight to a protected route needs no token")
    func customContextAndPreflight() async throws {
        let env = Env(bindings: ["OAUTH_KV": MemoryKV()])
        let oauth = try OAuthProviderMiddleware<AppContext>(protecting: ["/private"], options: HummingbirdApp.options, env: env)
        let router = Router(context: AppContext.self)
        router.add(middleware: oauth)
        router.get("/private/thing") { _, context in context.oauthProps == nil ? "none" : "some" }
        router.get("/open") { _, context in context.oauthProps == nil ? "open, no props" : "props?" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            #expect(try await client.execute(uri: "/private/thing", method: .get).status == .unauthorized)
            let open = try await client.execute(uri: "/open", method: .get, headers: [.authorization: "Bearer whatever"])
            #expect(String(buffer: open.body) == "open, no props")

            let preflight = try await client.execute(
                uri: "/private/thing", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "GET"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
        }
    }

    @Test("a Worker mounted at a prefix answers every method below it, with its failures mapped like serve's")
    func mountedWorker() async throws {
        let worker = FetchHandler { request, _, _ in
            if request.path.hasSuffix("/boom") { throw BoomError() }
            return .text("\(request.method) \(request.path) \(request.body.readableBytes)\n")
        }
        let router = Router()
        router.addWorker(worker, env: Env(), at: "/w")
        router.get("/other") { _, _ in "hummingbird\n" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let root = try await client.execute(uri: "/w", method: .get)
            #expect(String(buffer: root.body) == "GET /w 0\n")
            let put = try await client.execute(uri: "/w/a/b?q=1", method: .put, body: ByteBuffer(string: "abc"))
            #expect(String(buffer: put.body) == "PUT /w/a/b 3\n")
            #expect(String(buffer: try await client.execute(uri: "/other", method: .get).body) == "hummingbird\n")
            #expect(try await client.execute(uri: "/wx", method: .get).status == .notFound)
            let boom = try await client.execute(uri: "/w/boom", method: .get)
            #expect(boom.status == .internalServerError)
            #expect(!String(buffer: boom.body).contains("BoomError"))
        }
    }

    struct BoomError: Error {}
}
