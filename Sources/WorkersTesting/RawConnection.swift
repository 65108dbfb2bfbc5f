import Foundation

#if canImport(Glibc)
import Glibc
private let systemClose = Glibc.close
private let systemSend = Glibc.send
private let streamSocket = Int32(SOCK_STREAM.rawValue)
private let noSignal = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin
private let systemClose = Darwin.close
private let systemSend = Darwin.send
private let streamSocket = SOCK_STREAM
private let noSignal: Int32 = 0
#endif

/// A plain TCP connection to a loopback port, on which a test writes exactly the bytes it wants (two `Host`
/// headers, a head one byte at a time) and sees exactly what comes back, including the connection closing.
///
/// Non-blocking: waits are `Task.sleep` polls, so a test never blocks a cooperative thread.
public final class RawConnection {
    /// What the server has sent so far, as text.
    public private(set) var received = ""
    /// Whether the server closed (or reset) the connection.
    public private(set) var isClosed = false
    private var descriptor: Int32

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects to `127.0.0.1:port`.
    public init(port: Int) throws {
        descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            _ = systemClose(descriptor)
            throw Failure(description: "connect: \(reason)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close() }

    /// Writes `text`; `false` when the server has closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemSend(descriptor, $0.baseAddress, $0.count, noSignal) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                isClosed = true
                return false
            }
            offset += written
        }
        return true
    }

    /// Reads whatever has arrived, noting when the server closed the connection.
    public func poll() {
        guard !isClosed else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += String(decoding: buffer[..<count], as: UTF8.self)
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { isClosed = true }
            return
        }
    }

    /// Polls until `condition` holds or `timeout` passes; returns whether it held.
    @discardableResult
    public func wait(for timeout: Duration, until condition: (RawConnection) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            poll()
            if condition(self) { return true }
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for one complete response (head and `Content-Length` body), removes it from ``received`` and
    /// returns it; `nil` when none arrived within `timeout`.
    public func response(within timeout: Duration = .seconds(10)) async throws -> String? {
        var length: Int?
        let complete = try await wait(for: timeout) { connection in
            guard let end = connection.received.range(of: "\r\n\r\n") else { return false }
            let head = connection.received[..<end.lowerBound].lowercased()
            let bodyLength = head.split(separator: "\r\n")
                .first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let total = connection.received.utf8.distance(
                from: connection.received.utf8.startIndex, to: end.upperBound.samePosition(in: connection.received.utf8)!)
                + bodyLength
            guard connection.received.utf8.count >= total else { return false }
            length = total
            return true
        }
        guard complete, let length else { return nil }
        let bytes = Array(received.utf8)
        received = String(decoding: bytes[length...], as: UTF8.self)
        return String(decoding: bytes[..<length], as: UTF8.self)
    }

    /// Closes the connection.
    public func close() {
        guard descriptor >= 0 else { return }
        _ = systemClose(descriptor)
        descriptor = -1
    }
}
