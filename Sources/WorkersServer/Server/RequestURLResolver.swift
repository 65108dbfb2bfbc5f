import Foundation
import HTTPTypes
import WorkersRuntime

/// Works out the absolute URL a client used, from the request head and the server's configuration.
///
/// Precedence: a configured public origin; then, only when trusted, `Forwarded` / `X-Forwarded-Proto` /
/// `X-Forwarded-Host`; then the `Host` header and the scheme the server itself speaks.
///
/// Every request must carry exactly one `Host` header ([RFC 9112 §3.2](https://www.rfc-editor.org/rfc/rfc9112#section-3.2)):
/// none, or more than one, is malformed whatever the origin would have been. The HTTP/1 codec moves the first `Host`
/// into `authority` and leaves any further ones among the header fields.
struct RequestURLResolver: Sendable {
    let publicOrigin: URL?
    let trustForwardedHeaders: Bool
    let scheme: String

    init(configuration: WorkerServer.Configuration) {
        publicOrigin = configuration.publicOrigin
        trustForwardedHeaders = configuration.trustForwardedHeaders
        scheme = configuration.scheme
    }

    /// The absolute URL, or `nil` when the request target or host is malformed, or `Host` is missing or repeated.
    func url(for head: HTTPRequest) -> URL? {
        guard let hostHeader = head.authority, !head.headerFields.contains(Self.host) else { return nil }
        guard let target = pathAndQuery(head.path ?? "/") else { return nil }
        let origin: String
        if let publicOrigin {
            origin = publicOrigin.origin
        } else {
            var scheme = self.scheme
            var authority = hostHeader
            if trustForwardedHeaders {
                let forwarded = ForwardedElement(head.headerFields)
                if let proto = forwarded?.proto ?? Self.firstListValue(head.headerFields[Self.xForwardedProto]) {
                    scheme = proto.lowercased()
                }
                if let host = forwarded?.host ?? Self.firstListValue(head.headerFields[Self.xForwardedHost]) {
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
    static let host = HTTPField.Name("Host")!
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
