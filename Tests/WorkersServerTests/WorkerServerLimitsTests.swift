import Foundation
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// The server's limits on slow and numerous clients, over real sockets.
@Suite("WorkerServer connection limits")
struct WorkerServerLimitsTests {
    static let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    static let worker = Worker { _, _, _ in Response.text("ok") }

    @Test("a client dribbling its request head one byte every 500 ms is cut off one timeout after its first byte")
    func dribbledHeadIsCutOff() async throws {
        let server = try await LiveServer.start(
            worker: Self.worker, configuration: .init(requestHeadTimeout: .seconds(1), logRequests: false))
        let connection = try RawConnection(port: server.port)
        let started = ContinuousClock.now
        var sent = 0
        for byte in Self.request {
            guard connection.send(String(byte)) else { break }
            sent += 1
            // Poll through the pause, so the moment of the close is seen within 10 ms.
            try await connection.wait(for: .milliseconds(500)) { $0.isClosed }
            if connection.isClosed { break }
        }
        let elapsed = ContinuousClock.now - started
        try await server.stop()
        #expect(connection.isClosed)
        #expect(sent < Self.request.count, "the whole head went through: \(sent) bytes")
        // 1 s after the first byte: never sooner, and within a few bytes (2 a second; the whole head is 36). Counted in
        // bytes rather than seconds, because a loaded machine slows the sender and the clock alike.
        #expect(elapsed >= .milliseconds(900), "closed after \(elapsed)")
        #expect(sent <= 6, "\(sent) bytes went through before the close (after \(elapsed))")
        // The server says why, unless the close raced the client's next byte and reset the connection first.
        #expect(connection.received.isEmpty || connection.received.hasPrefix("HTTP/1.1 408 Request Timeout"))
    }

    @Test("keep-alive clients sending requests at a normal pace, even a head in two parts, are not affected")
    func keepAliveUnaffected() async throws {
        let server = try await LiveServer.start(
            worker: Self.worker, configuration: .init(requestHeadTimeout: .seconds(2), logRequests: false))
        let connection = try RawConnection(port: server.port)
        var statuses: [String] = []
        // 3 s on one connection, longer than the head deadline: it times heads, not connections.
        for _ in 0..<5 {
            connection.send(Self.request)
            statuses.append(String(try await connection.response()?.prefix(15) ?? "none"))
            try await Task.sleep(for: .milliseconds(600))
        }
        let half = Self.request.index(Self.request.startIndex, offsetBy: 20)
        connection.send(String(Self.request[..<half]))
        try await Task.sleep(for: .milliseconds(500))
        connection.send(String(Self.request[half...]))
        statuses.append(String(try await connection.response()?.prefix(15) ?? "none"))
        connection.poll()
        let stillOpen = !connection.isClosed
        try await server.stop()
        #expect(stillOpen)
        #expect(statuses == Array(repeating: "HTTP/1.1 200 OK", count: 6))
    }

    @Test("an idle keep-alive connection is governed by the idle timeout, not the head deadline")
    func idleConnectionUsesIdleTimeout() async throws {
        let server = try await LiveServer.start(
            worker: Self.worker,
            configuration: .init(idleTimeout: .seconds(4), requestHeadTimeout: .seconds(1), logRequests: false)
        )
        let connection = try RawConnection(port: server.port)
        // The idle timer runs from the connection's last read, at the latest the request's: measured from before it
        // is sent, a loaded machine that answers slowly can only make the idle time look longer.
        let sent = ContinuousClock.now
        connection.send(Self.request)
        #expect(try await connection.response()?.hasPrefix("HTTP/1.1 200") == true)
        // Twice the head deadline, half the idle timeout: a head deadline applied to idle time would close it.
        let closedEarly = try await connection.wait(for: .seconds(2)) { $0.isClosed }
        if closedEarly {
            // Only a machine too loaded to look within the idle timeout may see it closed: then no sooner than that.
            #expect(ContinuousClock.now - sent >= .seconds(4), "closed while idle, before the idle timeout")
            try await server.stop()
            return
        }
        // Measured from before the request, so a slow test task can only make the idle time look longer.
        let idleStart = ContinuousClock.now
        connection.send(Self.request)
        #expect(try await connection.response()?.hasPrefix("HTTP/1.1 200") == true)
        let closed = try await connection.wait(for: .seconds(10)) { $0.isClosed }
        let idle = ContinuousClock.now - idleStart
        try await server.stop()
        #expect(closed, "the idle timeout never closed the connection")
        #expect(idle >= .seconds(4), "closed after \(idle) idle")
    }

    @Test("with maxConnections 2 a third concurrent connection is not served until one closes")
    func maxConnections() async throws {
        let server = try await LiveServer.start(
            worker: Self.worker, configuration: .init(maxConnections: 2, logRequests: false))
        let first = try RawConnection(port: server.port)
        first.send(Self.request)
        let firstStatus = try await first.response()?.hasPrefix("HTTP/1.1 200")
        let second = try RawConnection(port: server.port)
        second.send(Self.request)
        let secondStatus = try await second.response()?.hasPrefix("HTTP/1.1 200")

        // The kernel completes the handshake (listen backlog), but the server does not accept it yet.
        let third = try RawConnection(port: server.port)
        third.send(Self.request)
        let early = try await third.response(within: .seconds(1))
        first.close()
        let late = try await third.response(within: .seconds(10))
        second.send(Self.request)
        let secondAgain = try await second.response()
        try await server.stop()
        #expect(firstStatus == true)
        #expect(secondStatus == true)
        #expect(early == nil, "served beyond the limit: \(early ?? "")")
        #expect(late?.hasPrefix("HTTP/1.1 200") == true)
        #expect(secondAgain?.hasPrefix("HTTP/1.1 200") == true)
    }
}
