import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

@Suite("WorkerServer over real sockets")
struct WorkerServerTests {
    let client = TestClient()

    @Test("routes requests to the worker with method, path, query, headers and body")
    func routesToWorker() async throws {
        let worker = Worker { request, env, _ in
            try Response.json([
                "method": request.method.rawValue,
                "path": request.path,
                "q": request.query("q") ?? "",
                "agent": request.header("x-test") ?? "",
                "body": request.text,
                "name": env.NAME ?? "",
                "url": request.url.absoluteString,
            ])
        }
        let server = try await LiveServer.start(worker: worker, env: Env(vars: ["NAME": "swift"]))
        let response = try await client.send(.post, server.url("/a/b?q=1%202"), headers: [("X-Test", "yes")], body: "hello")
        try await server.stop()
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let json = try #require(response.json)
        #expect(json["method"] == "POST")
        #expect(json["path"] == "/a/b")
        #expect(json["q"] == "1 2")
        #expect(json["agent"] == "yes")
        #expect(json["body"] == "hello")
        #expect(json["name"] == "swift")
        #expect(json["url"] == .string("http://127.0.0.1:\(server.port)/a/b?q=1%202"))
    }

    @Test("keeps repeated Set-Cookie fields apart and parses cookies and forms")
    func cookiesAndForms() async throws {
        let worker = Worker { request, _, _ in
            let form = try request.form()
            var response = Response.text("\(request.cookies["session"] ?? "-") \(form["a"] ?? "-") \(form.values("b"))")
            response.setCookie(Cookie(name: "one", value: "1"))
            response.setCookie(Cookie(name: "two", value: "2", sameSite: .strict))
            return response
        }
        let server = try await LiveServer.start(worker: worker)
        let response = try await client.send(
            .post,
            server.url("/"),
            headers: [("Cookie", "theme=dark; session=abc"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: "a=x+y%21&b=1&b=2"
        )
        try await server.stop()
        #expect(response.text == "abc x y! [\"1\", \"2\"]")
        let cookies = response.headers[values: .setCookie]
        #expect(cookies.count == 2)
        #expect(cookies[0].hasPrefix("one=1; Path=/; Secure; HttpOnly; SameSite=Lax"))
        #expect(cookies[1].contains("SameSite=Strict"))
    }

    @Test("streams a response body chunk by chunk")
    func streamsBody() async throws {
        let gate = AsyncStream.makeStream(of: Void.self)
        let worker = Worker { _, _, _ in
            Response(
                headers: [.contentType: "text/event-stream"],
                body: .stream { writer in
                    try await writer.write("data: first\n\n")
                    var iterator = gate.stream.makeAsyncIterator()
                    await iterator.next()
                    try await writer.write("data: second\n\n")
                }
            )
        }
        let server = try await LiveServer.start(worker: worker)
        var request = HTTPClientRequest(url: server.url("/events").absoluteString)
        request.method = .GET
        let response = try await TestClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        var chunks = response.body.makeAsyncIterator()
        // The first event arrives while the handler is still suspended: the body really streams.
        let first = try #require(try await chunks.next())
        #expect(String(buffer: first) == "data: first\n\n")
        gate.continuation.yield()
        var rest = ""
        while let chunk = try await chunks.next() { rest += String(buffer: chunk) }
        #expect(rest == "data: second\n\n")
        try await server.stop()
    }

    @Test("answers 413 for bodies over the limit and still serves")
    func bodyLimit() async throws {
        let worker = Worker { request, _, _ in Response.text("\(request.body.readableBytes)") }
        let server = try await LiveServer.start(worker: worker, configuration: .init(maxBodySize: 1024, logRequests: false))
        let small = try await client.send(.post, server.url("/"), body: String(repeating: "a", count: 1024))
        let large = try await client.send(.post, server.url("/"), body: String(repeating: "a", count: 1025))
        let after = try await client.send(.post, server.url("/"), body: "ok")
        try await server.stop()
        #expect(small.status == 200)
        #expect(small.text == "1024")
        #expect(large.status == 413)
        #expect(after.text == "2")
    }

    @Test("turns a thrown error into a generic 500 and keeps serving")
    func thrownErrorIs500() async throws {
        struct Secret: Error { let detail = "database password is hunter2" }
        let worker = Worker { request, _, _ in
            if request.path == "/boom" { throw Secret() }
            return Response.text("fine")
        }
        let server = try await LiveServer.start(worker: worker)
        let boom = try await client.send(.get, server.url("/boom"))
        let fine = try await client.send(.get, server.url("/fine"))
        try await server.stop()
        #expect(boom.status == 500)
        #expect(!boom.text.contains("hunter2"))
        #expect(fine.status == 200)
        #expect(fine.text == "fine")
    }

    @Test("graceful shutdown finishes the in-flight request and pending waitUntil work")
    func gracefulShutdown() async throws {
        let started = AsyncStream.makeStream(of: Void.self)
        let finishedWork = Mutex(false)
        let worker = Worker { _, _, ctx in
            ctx.waitUntil {
                try await Task.sleep(for: .milliseconds(300))
                finishedWork.withLock { $0 = true }
            }
            started.continuation.yield()
            try await Task.sleep(for: .milliseconds(300))
            return Response.text("done")
        }
        let server = try await LiveServer.start(worker: worker)
        async let inFlight = client.send(.get, server.url("/slow"))
        var iterator = started.stream.makeAsyncIterator()
        await iterator.next()
        try await server.stop()
        let response = try await inFlight
        #expect(response.status == 200)
        #expect(response.text == "done")
        #expect(finishedWork.withLock { $0 })
    }

    @Test("a failing waitUntil does not cancel the others")
    func waitUntilIsAllSettled() async throws {
        struct Failure: Error {}
        let tasks = BackgroundTasks()
        let completed = Mutex(0)
        let ctx = ExecutionContext(backgroundTasks: tasks)
        ctx.waitUntil { throw Failure() }
        ctx.waitUntil {
            try await Task.sleep(for: .milliseconds(50))
            completed.withLock { $0 += 1 }
        }
        await tasks.drain()
        #expect(completed.withLock { $0 } == 1)
        #expect(tasks.failureCount == 1)
        #expect(tasks.pendingCount == 0)
    }

    @Test("uses the configured public origin, and forwarded headers only when trusted")
    func publicOrigin() async throws {
        let worker = Worker { request, _, _ in Response.text(request.url.absoluteString) }
        let forwarded = [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "proxy.example.com")]

        let configured = try await LiveServer.start(
            worker: worker,
            configuration: .init(publicOrigin: URL(string: "https://mcp.example.com"), logRequests: false)
        )
        let viaOrigin = try await client.send(.get, configured.url("/mcp?x=1"), headers: forwarded)
        try await configured.stop()
        #expect(viaOrigin.text == "https://mcp.example.com/mcp?x=1")

        let untrusted = try await LiveServer.start(worker: worker)
        let ignored = try await client.send(.get, untrusted.url("/p"), headers: forwarded)
        try await untrusted.stop()
        #expect(ignored.text == "http://127.0.0.1:\(untrusted.port)/p")

        let trusted = try await LiveServer.start(worker: worker, configuration: .init(trustForwardedHeaders: true, logRequests: false))
        let honoured = try await client.send(.get, trusted.url("/p"), headers: forwarded)
        let rfc7239 = try await client.send(.get, trusted.url("/p"), headers: [("Forwarded", "for=1.2.3.4;proto=https;host=\"a.example\"")])
        try await trusted.stop()
        #expect(honoured.text == "https://proxy.example.com/p")
        #expect(rfc7239.text == "https://a.example/p")
    }

    @Test("rejects a Host header that is not a host")
    func badHost() async throws {
        let worker = Worker { request, _, _ in Response.text(request.url.absoluteString) }
        let server = try await LiveServer.start(worker: worker)
        let response = try await client.send(.get, server.url("/"), headers: [("Host", "evil.com/@x")])
        try await server.stop()
        #expect(response.status == 400)
    }
}
