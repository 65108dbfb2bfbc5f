/// A `HOST:PORT` to listen on, as `metrics_listen` and `serve --metrics-listen` take it: `127.0.0.1:9464`,
/// `[::1]:9464`, `localhost:9464`. Port 0 picks a free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The interface: an IP address (IPv6 without brackets) or a host name.
    public var host: String
    /// The port, 0 to 65535.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, an IPv6 host in brackets; `nil` for anything else (an empty or malformed host, a missing
    /// or out-of-range port).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = Substring(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = Int(portText), (0...65535).contains(port) else {
            return nil
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), IPAddress(host.dropFirst().dropLast()) != nil else { return nil }
            host = host.dropFirst().dropLast()
        } else {
            let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            guard !host.isEmpty, allowed else { return nil }
        }
        self.init(host: String(host), port: port)
    }

    /// Whether only this machine can connect: `localhost`, `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        host.lowercased() == "localhost" || IPAddress(host)?.isLoopback == true
    }

    /// `HOST:PORT`, an IPv6 host in brackets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
