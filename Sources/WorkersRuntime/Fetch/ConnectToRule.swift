/// A connection redirect for outbound fetches, in curl's `--connect-to HOST:PORT:ADDRESS:ADDRESSPORT` form: a
/// request for `HOST:PORT` connects to `ADDRESS:ADDRESSPORT` instead, while the URL, the `Host` header, TLS server
/// name and certificate verification stay those of `HOST`.
///
/// For development and tests (a client metadata document served by a local test server under a real-looking host
/// name). The SSRF-safe fetch lets exactly the hosts named this way reach non-public addresses.
public struct ConnectToRule: Sendable, Hashable, CustomStringConvertible {
    /// The host requests name (lowercased; IPv6 without brackets).
    public var host: String
    /// The port requests name (the scheme's default when the URL has none).
    public var port: Int
    /// Where to connect instead: an IP address or a host name.
    public var address: String
    /// The port to connect to.
    public var addressPort: Int

    /// Creates a rule.
    public init(host: String, port: Int, address: String, addressPort: Int) {
        self.host = host.lowercased()
        self.port = port
        self.address = address
        self.addressPort = addressPort
    }

    /// Parses `HOST:PORT:ADDRESS:ADDRESSPORT`; IPv6 addresses in brackets (`[::1]`).
    /// - Throws: ``ConnectToRuleError`` naming what is wrong.
    public init(parsing text: String) throws(ConnectToRuleError) {
        var rest = Substring(text)
        func field() throws(ConnectToRuleError) -> String {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { throw ConnectToRuleError(text, "an unclosed [") }
                let value = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(":") { rest = rest.dropFirst() } else if !rest.isEmpty {
                    throw ConnectToRuleError(text, "a ] not followed by :")
                }
                return String(value)
            }
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let value = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            return String(value)
        }
        func port(_ value: String, _ name: String) throws(ConnectToRuleError) -> Int {
            guard let number = Int(value), (1...65535).contains(number) else {
                throw ConnectToRuleError(text, "\(name) must be a port number 1-65535, got \"\(value)\"")
            }
            return number
        }
        let host = try field()
        let hostPort = try field()
        let address = try field()
        let addressPort = try field()
        guard rest.isEmpty else { throw ConnectToRuleError(text, "more than four fields") }
        guard !host.isEmpty, !address.isEmpty else { throw ConnectToRuleError(text, "HOST and ADDRESS must not be empty") }
        self.init(host: host, port: try port(hostPort, "PORT"), address: address, addressPort: try port(addressPort, "ADDRESSPORT"))
    }

    /// Whether a request for `host` on `port` follows this rule.
    public func applies(to host: String, port: Int) -> Bool {
        self.port == port && self.host == Self.bare(host).lowercased()
    }

    public var description: String {
        func field(_ value: String) -> String { value.contains(":") ? "[\(value)]" : value }
        return "\(field(host)):\(port):\(field(address)):\(addressPort)"
    }

    private static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
