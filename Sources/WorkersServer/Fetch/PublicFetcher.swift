import AsyncHTTPClient
import Foundation
import NIOCore
public import NIOSSL
public import WorkersRuntime

/// An SSRF-safe outbound fetch, for URLs that strangers choose (``WorkersRuntime/Env/publicFetcher``): it connects
/// only to public addresses.
///
/// For each request it resolves the host once (``HostResolver``), refuses the request if the host is, or any of its
/// addresses is, non-public (``WorkersRuntime/IPAddress/nonPublicRange``: loopback, private, link-local, CGNAT,
/// unique-local, multicast, unspecified, and IPv4-mapped forms of those), and then connects to the very address it
/// checked (AsyncHTTPClient's DNS override), so a host cannot resolve to a public address for the check and a
/// private one for the connection. TLS still verifies the certificate against the URL's host name. Refusals are
/// ``WorkersRuntime/FetchError/nonPublicAddress(host:address:range:)``, thrown before any connection is opened.
///
/// Redirects are not followed and no proxy is used. ``connectTo`` rules (curl's `--connect-to`) send chosen hosts
/// elsewhere, and exempt exactly those hosts from the address check: for development and tests.
public struct PublicFetcher: Fetcher {
    /// Connections for these hosts go where the rules say, whatever address that is.
    public var connectTo: [ConnectToRule]
    /// CA certificates trusted on top of the system's (a corporate or test CA).
    public var additionalTrustRoots: [NIOSSLAdditionalTrustRoots]
    /// How long a whole request (resolve, connect, send, receive) may take.
    public var timeout: Duration
    /// Largest response body accepted.
    public var maxResponseSize: Int
    /// Where host names are resolved.
    public var resolver: HostResolver

    /// Creates a fetcher.
    /// - Parameters:
    ///   - connectTo: Connection redirects (exempt from the address check).
    ///   - additionalTrustRoots: CAs trusted on top of the system's.
    ///   - timeout: Per-request deadline (30 s by default).
    ///   - maxResponseSize: Response body cap (10 MiB by default).
    ///   - resolver: The resolver (the system's by default).
    public init(
        connectTo: [ConnectToRule] = [],
        additionalTrustRoots: [NIOSSLAdditionalTrustRoots] = [],
        timeout: Duration = .seconds(30),
        maxResponseSize: Int = 10 * 1024 * 1024,
        resolver: HostResolver = .system
    ) {
        self.connectTo = connectTo
        self.additionalTrustRoots = additionalTrustRoots
        self.timeout = timeout
        self.maxResponseSize = maxResponseSize
        self.resolver = resolver
    }

    public func fetch(_ request: Request) async throws -> Response {
        try await fetch(request, limits: FetchLimits())
    }

    public func fetch(_ request: Request, limits: FetchLimits) async throws -> Response {
        let scheme = request.url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw FetchError.unsupportedScheme(scheme) }
        guard let host = request.url.host, !host.isEmpty else { throw FetchError.unresolvableHost("") }
        let port = request.url.port ?? (scheme == "https" ? 443 : 80)
        let budget = min(timeout, limits.timeout ?? timeout)
        let maximum = min(maxResponseSize, limits.maximumResponseBytes ?? maxResponseSize)
        return try await FetchDeadline.run(within: budget) {
            let target = try await connectionTarget(host: host, port: port)
            var url = request.url
            var hostHeader: String?
            if target.port != port, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
                components.port = target.port
                url = components.url ?? url
                let bracketed = IPAddress(host).map(\.urlHost) ?? host
                hostHeader = request.url.port.map { "\(bracketed):\($0)" } ?? bracketed
            }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: HTTPClientFetcher.tlsConfiguration(additionalTrustRoots: additionalTrustRoots)
            )
            configuration.redirectConfiguration = .disallow
            configuration.timeout.connect = .seconds(10)
            configuration.timeout.read = budget.timeAmount
            // One connection attempt: a refused connection or a failed TLS handshake is the answer, not a retry
            // until the deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.dnsOverride = [host: target.address.description]
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            do {
                let response = try await HTTPClientExchange.send(
                    request, to: url, hostHeader: hostHeader, through: client, timeout: budget, maximumResponseBytes: maximum
                )
                try? await client.shutdown()
                return response
            } catch {
                // A cancelled request's connection closes when the server next speaks; do not wait for that.
                Task.detached { try? await client.shutdown() }
                throw error
            }
        }
    }

    /// The address and port to connect to for `host:port`: a ``connectTo`` rule's, else the host's own address
    /// after the check.
    func connectionTarget(host: String, port: Int) async throws -> (address: IPAddress, port: Int) {
        if let rule = connectTo.first(where: { $0.applies(to: host, port: port) }) {
            if let literal = IPAddress(rule.address) { return (literal, rule.addressPort) }
            guard let first = try await resolver.resolve(rule.address).first else {
                throw FetchError.unresolvableHost(rule.address)
            }
            return (first, rule.addressPort)
        }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = try await resolver.resolve(host)
        }
        guard let first = addresses.first else { throw FetchError.unresolvableHost(host) }
        if let refused = addresses.first(where: { !$0.isPublic }) {
            throw FetchError.nonPublicAddress(host: host, address: refused.description, range: refused.nonPublicRange ?? "")
        }
        return (first, port)
    }
}
