import Foundation

/// TCP ports on 127.0.0.1, for tests that start servers which cannot announce the port they bound (PostgreSQL,
/// nginx): pick a free one first, then wait until the server accepts on it.
public enum LoopbackPort {
    /// A port nothing listens on now (bind port 0, read the port, close), or `nil` when no socket can be made.
    public static func free() -> Int? {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    public static func accepts(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Takes 127.0.0.1:`port` without listening on it, until ``HeldPort/release()``: connections to it are refused,
    /// and no other test's server can be given it. For a test that kills a server behind a proxy: without it, the
    /// dead server's port may go to another server started meanwhile (tests run in parallel), which then answers the
    /// proxy in its place. `nil` when the port cannot be bound.
    public static func hold(_ port: Int) -> HeldPort? {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard bound else {
            close(socket)
            return nil
        }
        return HeldPort(socket: socket)
    }

    /// A port taken by ``hold(_:)``.
    public final class HeldPort: Sendable {
        private let socket: Int32

        init(socket: Int32) { self.socket = socket }

        /// Gives the port back.
        public func release() { close(socket) }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
