import Foundation
import HTTPTypes
import Logging
import WorkersKV
import WorkersRuntime

/// Redirect URI rules: the scheme check and registered-URI matching (loopback on any port).
enum RedirectURIRules {
    static let dangerousSchemes = ["javascript", "data", "vbscript", "file", "mailto", "blob"]

    /// Whether `uri` is acceptable as a redirect target at all: no control characters, no fragment, a scheme, none
    /// of the dangerous ones.
    static func isAcceptable(_ uri: String) -> Bool {
        let trimmed = uri.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return false
        }
        // RFC 6749 §3.1.2: a redirection endpoint URI must not include a fragment.
        if trimmed.contains("#") { return false }
        guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else { return false }
        let scheme = trimmed[..<colon].lowercased()
        return !dangerousSchemes.contains(scheme)
    }

    /// Whether a client registering itself may register `uri` (OAuth 2.1 §2.3.1, RFC 8252 §7): an absolute `https`
    /// URI with a host and no userinfo; `http` only on `localhost`, `127.0.0.1` (the `127/8` loopback block) or
    /// `[::1]`, any port; or a private-use scheme in reverse-DNS form, which has a dot (`com.example.app:/callback`).
    /// Everything else (`http` on public hosts, `https:host` without `//`, `ws:`, `ftp:`, `about:`, `view-source:`,
    /// one-word schemes) is refused, on top of ``isAcceptable(_:)``.
    static func isAllowedForRegistration(_ uri: String) -> Bool {
        guard isAcceptable(uri), uri == uri.trimmingCharacters(in: .whitespacesAndNewlines),
            let colon = uri.firstIndex(of: ":")
        else { return false }
        let scheme = uri[..<colon].lowercased()
        switch scheme {
        case "https", "http":
            guard uri.dropFirst(scheme.count + 1).hasPrefix("//"), let components = URLComponents(string: uri),
                let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
            else { return false }
            return scheme == "https" || isLoopback(host)
        default:
            return isPrivateUseScheme(scheme)
        }
    }

    /// ``isAllowedForRegistration(_:)`` narrowed by the client's application type (SEP-837): a `web` client may
    /// register only `https` URIs on hosts other than loopback; a `native` one, or one that does not say, anything
    /// ``isAllowedForRegistration(_:)`` allows (loopback `http`, private-use schemes, `https`).
    static func isAllowedForRegistration(_ uri: String, applicationType: ApplicationType?) -> Bool {
        guard isAllowedForRegistration(uri) else { return false }
        guard applicationType == .web else { return true }
        guard let components = URLComponents(string: uri), components.scheme?.lowercased() == "https",
            let host = components.host
        else { return false }
        return !isLoopback(host)
    }

    /// What a client of `applicationType` may register, for error messages.
    static func allowedDescription(_ applicationType: ApplicationType?) -> String {
        applicationType == .web
            ? "A web client must use https URIs on a host other than loopback"
            : "Use an https URI, http on localhost, 127.0.0.1 or [::1], or a private-use scheme in reverse-DNS form (com.example.app:/callback)"
    }

    /// A reverse-DNS scheme such as `com.example.app`: RFC 3986 scheme characters, at least two dot-separated
    /// labels, none empty.
    static func isPrivateUseScheme(_ scheme: String) -> Bool {
        let labels = scheme.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let first = scheme.unicodeScalars.first,
            ("a"..."z").contains(first)
        else { return false }
        return scheme.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "+" || scalar == "-" || scalar == "."
        }
    }

    /// Whether `requested` matches one of `registered`.
    static func matches(_ requested: String, registered: [String]) -> Bool {
        registered.contains { matches(requested, registered: $0) }
    }

    /// Exact string equality, except that two loopback URIs match when scheme, host, path and query agree (any
    /// port, RFC 8252 §7.3). `localhost` and `127.0.0.1` never match each other.
    static func matches(_ requested: String, registered: String) -> Bool {
        if requested == registered { return true }
        guard let left = URLComponents(string: requested), let right = URLComponents(string: registered),
            let leftHost = left.host, let rightHost = right.host,
            isLoopback(leftHost), isLoopback(rightHost)
        else { return false }
        return left.scheme?.lowercased() == right.scheme?.lowercased()
            && leftHost.lowercased() == rightHost.lowercased()
            && left.percentEncodedPath == right.percentEncodedPath
            && left.percentEncodedQuery == right.percentEncodedQuery
            && left.fragment == nil && right.fragment == nil
    }

    /// Whether `host` is `localhost`, `127.x.y.z` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }
    }
}
