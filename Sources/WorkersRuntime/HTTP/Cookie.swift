public import Foundation

/// A cookie to set on a response (`Set-Cookie`), with secure defaults.
///
/// ```swift
/// var response = Response.text("ok")
/// response.setCookie(Cookie(name: "session", value: token, maxAge: 3600))
/// ```
public struct Cookie: Sendable, Equatable {
    /// The `SameSite` attribute.
    public struct SameSite: Sendable, Hashable, RawRepresentable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Sent only with same-site requests.
        public static let strict = SameSite(rawValue: "Strict")
        /// Sent with same-site requests and top-level cross-site navigations (the default).
        public static let lax = SameSite(rawValue: "Lax")
        /// Sent with every request; requires `Secure`.
        public static let none = SameSite(rawValue: "None")
    }

    public var name: String
    public var value: String
    public var path: String?
    public var domain: String?
    public var maxAge: Int?
    public var expires: Date?
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite?

    /// Creates a cookie. By default it is `HttpOnly`, `Secure`, `SameSite=Lax` and scoped to `/`.
    public init(
        name: String,
        value: String,
        path: String? = "/",
        domain: String? = nil,
        maxAge: Int? = nil,
        expires: Date? = nil,
        secure: Bool = true,
        httpOnly: Bool = true,
        sameSite: SameSite? = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// The `Set-Cookie` header value.
    public var headerValue: String {
        var parts = ["\(name)=\(value)"]
        if let path { parts.append("Path=\(path)") }
        if let domain { parts.append("Domain=\(domain)") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let expires { parts.append("Expires=\(Self.httpDate(expires))") }
        if secure { parts.append("Secure") }
        if httpOnly { parts.append("HttpOnly") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }

    /// Parses `Cookie` header values into a name -> value map (the first of repeated names wins).
    public static func parse(_ headerValues: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headerValues {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, cookies[name] == nil else { continue }
                var value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                cookies[name] = value
            }
        }
        return cookies
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
