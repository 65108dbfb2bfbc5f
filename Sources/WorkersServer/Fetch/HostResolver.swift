import NIOPosix
public import WorkersRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a host name into its addresses, once, for ``PublicFetcher``: the addresses it returns are the ones checked
/// and the one connected to, so a second lookup (DNS rebinding) never happens in between.
public struct HostResolver: Sendable {
    /// Resolves a host name (never an IP literal) to its addresses; empty when it has none.
    public let resolve: @Sendable (String) async throws -> [IPAddress]

    /// A resolver from a closure (tests use one that answers from a table).
    public init(resolve: @escaping @Sendable (String) async throws -> [IPAddress]) {
        self.resolve = resolve
    }

    /// The system resolver (`getaddrinfo`, which reads `/etc/hosts` and DNS), run on NIO's blocking-I/O thread pool,
    /// never on an event loop.
    public static let system = HostResolver { host in
        try await NIOThreadPool.singleton.runIfActive { addresses(of: host) }
    }

    private static func addresses(of host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr {
                switch Int32(socketAddress.pointee.sa_family) {
                case AF_INET:
                    let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    if let ip = withUnsafeBytes(of: address, { IPAddress(bytes: Array($0)) }) { found.append(ip) }
                case AF_INET6:
                    let address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    if let ip = withUnsafeBytes(of: address, { IPAddress(bytes: Array($0)) }) { found.append(ip) }
                default:
                    break
                }
            }
            entry = current.pointee.ai_next
        }
        var seen = Set<IPAddress>()
        return found.filter { seen.insert($0).inserted }
    }
}
