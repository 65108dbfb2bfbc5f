import Foundation
import HTTPTypes
import WorkersRuntime

/// Works out the absolute URL a client used, from the request head and the server's configuration.
///
/// Precedence: a configured public origin; then, only when trusted, `Forwarded` / `X-Forwarded-Proto` /
/// `X-Forwarded-Host`; then the `Host` header and the scheme the server itself speaks.
struct RequestURLResolver: Sendable {
    let publicOrigin: URL?
    let trustForwardedHeaders: Bool
    let scheme: String
    let fallbackAuthority: String

    init(configuration: WorkerServer.Configuration) {
        publicOrigin = configuration.publicOrigin
        trustForwardedHeaders = configuration.trustForwardedHeaders
        scheme = configuration.scheme
        fallbackAuthority = "\(configuration.host):\(configuration.port)"
    }

    /// The absolute URL, or `nil` when the request target or host is malformed.
    func url(for head: HTTPRequest) -> URL? {
        guard let target = pathAndQuery(head.path ?? "/") else { return nil }
        let origin: String
        if let publicOrigin {
            origin = publicOrigin.origin
        } else {
            var scheme = self.scheme
            var authority = head.authority ?? fallbackAuthority
            if trustForwardedHeaders {
                let forwarded = Self.forwarded(head.headerFields)
                if let proto = forwarded.proto ?? Self.firstListValue(head.headerFields[Self.xForwardedProto]) {
                    scheme = proto.lowercased()
                }
                if let host = forwarded.host ?? Self.firstListValue(head.headerFields[Self.xForwardedHost]) {
                    authority = host
                }
            }
            guard scheme == "http" || scheme == "https", Self.isValidAuthority(authority) else { return nil }
            origin = "\(scheme)://\(authority)"
        }
        return URL(string: origin + target, encodingInvalidCharacters: false)
    }

    /// The origin-form path and query of a request target (absolute-form targets are reduced to theirs).
    private func pathAndQuery(_ target: String) -> String? {
        if target.hasPrefix("/") { return target }
        if target == "*" { return "/" }
        guard let components = URLComponents(string: target), components.scheme != nil else { return nil }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host")!
    static let forwardedName = HTTPField.Name("Forwarded")!

    /// `proto` and `host` from the first element of an RFC 7239 `Forwarded` header.
    static func forwarded(_ fields: HTTPFields) -> (proto: String?, host: String?) {
        guard let value = fields[forwardedName],
            let first = value.split(separator: ",").first
        else { return (nil, nil) }
        var proto: String?
        var host: String?
        for pair in first.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = parts[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            if key == "proto" { proto = value }
            if key == "host" { host = value }
        }
        return (proto, host)
    }

    static func firstListValue(_ value: String?) -> String? {
        guard let first = value?.split(separator: ",").first else { return nil }
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Host names, IPv4, bracketed IPv6 and an optional port; nothing that could smuggle a path or userinfo.
    static func isValidAuthority(_ authority: String) -> Bool {
        guard !authority.isEmpty, authority.utf8.count <= 255 else { return false }
        // ASCII letters, digits and `.-:[]_`, byte by byte (every request passes here; `CharacterSet` would bridge).
        return authority.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
