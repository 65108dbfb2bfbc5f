import Foundation
import HTTPTypes
import WorkersRuntime

/// Works out the IP address of the client that sent a request (``WorkersRuntime/Request/clientAddress``).
///
/// Without trusted forwarding headers it is the connection's peer. Behind a proxy whose headers are trusted, it is
/// the first `Forwarded: for=` of an [RFC 7239](https://www.rfc-editor.org/rfc/rfc7239) header, else the first
/// `X-Forwarded-For` entry, else the peer. Quotes, IPv6 brackets and ports are stripped; a value that is not an IP
/// address (`unknown`, an obfuscated `_node`) is skipped.
struct ClientAddressResolver: Sendable {
    let trustForwardedHeaders: Bool

    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The client's address, from the connection peer `peer` (an IP address string) and the request's header fields.
    func address(peer: String?, headers: HTTPFields) -> String? {
        if trustForwardedHeaders {
            if let node = ForwardedElement(headers)?.for, let address = Self.ipAddress(fromNode: node) {
                return address
            }
            if let first = RequestURLResolver.firstListValue(headers[Self.xForwardedFor]),
                let address = Self.ipAddress(fromNode: first)
            {
                return address
            }
        }
        return peer.map(Self.peerAddress)
    }

    /// A connection peer's address as the socket gives it (already a well-formed IP address, so not parsed again:
    /// this runs on every request), with an IPv4-mapped IPv6 address made IPv4.
    static func peerAddress(_ peer: String) -> String {
        peer.utf8.starts(with: "::ffff:".utf8) && isIPv4(String(peer.dropFirst(7))) ? String(peer.dropFirst(7)) : peer
    }

    /// The IP address in a node value: `192.0.2.1`, `192.0.2.1:8080`, `[2001:db8::1]`, `[2001:db8::1]:443` or a
    /// bare `2001:db8::1`; IPv4-mapped IPv6 addresses become IPv4. `nil` when it holds no IP address.
    static func ipAddress(fromNode node: String) -> String? {
        var value = node.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { return nil }
            let rest = value[value.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            value = String(value[value.index(after: value.startIndex)..<close])
        } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            value = String(value[..<colon])
        }
        if isIPv4(value) { return value }
        guard isIPv6(value) else { return nil }
        let lowered = value.lowercased()
        if lowered.hasPrefix("::ffff:"), isIPv4(String(lowered.dropFirst(7))) { return String(lowered.dropFirst(7)) }
        return lowered
    }

    private static func isIPv4(_ value: String) -> Bool {
        IPAddress(value)?.isIPv4 == true
    }

    private static func isIPv6(_ value: String) -> Bool {
        IPAddress(value)?.isIPv4 == false
    }
}
