import Foundation
import HTTPTypes
import Logging
import NIOHTTP1
import Synchronization
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// Input hygiene of the server layer, over real sockets: the client's address, the `Host` rules of RFC 9112 and
/// log lines an attacker cannot forge.
@Suite("WorkerServer input hygiene")
struct WorkerServerHygieneTests {
    let client = TestClient()

    @Test("handlers see the connection's peer address, and forwarded addresses only when trusted")
    func clientAddress() async throws {
        let worker = Worker { request, _, _ in Response.text(request.clientAddress ?? "none") }
        let forwarded = [("Forwarded", "for=198.51.100.9;proto=https"), ("X-Forwarded-For", "203.0.113.7, 10.0.0.1")]

        let untrusted = try await LiveServer.start(worker: worker)
        let direct = try await client.send(.get, untrusted.url("/"))
        let ignored = try await client.send(.get, untrusted.url("/"), headers: forwarded)
        try await untrusted.stop()
        #expect(direct.text == "127.0.0.1")
        #expect(ignored.text == "127.0.0.1")

        let trusted = try await LiveServer.start(worker: worker, configuration: .init(trustForwardedHeaders: true, logRequests: false))
        let viaForwarded = try await client.send(.get, trusted.url("/"), headers: forwarded)
        let bracketed = try await client.send(.get, trusted.url("/"), headers: [("Forwarded", #"for="[2001:DB8:cafe::17]:4711""#)])
        let viaXFF = try await client.send(.get, trusted.url("/"), headers: [("X-Forwarded-For", "203.0.113.7:5000, 10.0.0.1")])
        let obfuscated = try await client.send(
            .get, trusted.url("/"), headers: [("Forwarded", "for=_hidden"), ("X-Forwarded-For", "192.0.2.4")])
        let none = try await client.send(.get, trusted.url("/"))
        try await trusted.stop()
        #expect(viaForwarded.text == "198.51.100.9")
        #expect(bracketed.text == "2001:db8:cafe::17")
        #expect(viaXFF.text == "203.0.113.7")
        #expect(obfuscated.text == "192.0.2.4")
        #expect(none.text == "127.0.0.1")
    }

    @Test("a request with no Host header, or two, gets 400 and never reaches the handler (RFC 9112 §3.2)")
    func hostExactlyOnce() async throws {
        let calls = Atomic(0)
        let worker = Worker { request, _, _ in
            calls.add(1, ordering: .relaxed)
            return Response.text(request.url.absoluteString)
        }
        let server = try await LiveServer.start(worker: worker)
        func send(_ head: String) async throws -> String? {
            let connection = try RawConnection(port: server.port)
            connection.send(head)
            return try await connection.response()
        }
        let twoHosts = try await send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n")
        let noHost = try await send("GET /x HTTP/1.1\r\n\r\n")
        let absoluteNoHost = try await send("GET http://evil.example/x HTTP/1.1\r\n\r\n")
        let oneHost = try await send("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try await server.stop()
        #expect(twoHosts?.hasPrefix("HTTP/1.1 400") == true, "\(twoHosts ?? "no response")")
        #expect(noHost?.hasPrefix("HTTP/1.1 400") == true, "\(noHost ?? "no response")")
        #expect(absoluteNoHost?.hasPrefix("HTTP/1.1 400") == true, "\(absoluteNoHost ?? "no response")")
        #expect(oneHost?.hasPrefix("HTTP/1.1 200") == true, "\(oneHost ?? "no response")")
        #expect(oneHost?.hasSuffix("http://127.0.0.1/ok") == true)
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test("a handler error carrying request text cannot forge a log line (CWE-117)")
    func handlerErrorIsEscapedInLogs() async throws {
        struct Echo: Error, CustomStringConvertible {
            let description: String
        }
        let logs = LogRecorder()
        let worker = Worker { request, _, _ in throw Echo(description: "bad input: \(request.text)") }
        let server = try await LiveServer.start(
            worker: worker, configuration: .init(logRequests: true), logger: logs.logger(level: .info))
        let forged = "x\n2026-01-01T00:00:00+0000 critical workers: [WorkersServer] admin logged in\r\u{1B}[2K"
        let response = try await client.send(.post, server.url("/p"), body: forged)
        try await server.stop()
        #expect(response.status == 500)
        let threw = try #require(logs.entries.first { $0.message == "Handler threw" })
        let error = try #require(threw.metadata["error"])
        #expect(error.contains(#"x\n2026-01-01"#))
        #expect(error.contains(#"\r\u{1B}[2K"#))
        for entry in logs.entries {
            #expect(!entry.text.unicodeScalars.contains { $0 == "\r" || $0 == "\u{1B}" }, "\(entry)")
            #expect(!entry.metadata.values.contains { $0.contains("\n") }, "\(entry)")
            #expect(!entry.message.contains("\n"), "\(entry)")
        }
        #expect(logs.entries.contains { $0.message.hasPrefix("POST /p 500") })
    }
}
