public import Foundation
public import HTTPTypes
import NIOCore

/// An HTTP response returned by a Worker's `fetch` handler.
///
/// ```swift
/// return try Response.json(["ok": true], status: .created)
/// return try Response.redirect("https://example.com/next", status: .seeOther)
/// return Response.text("Not found", status: .notFound)
/// ```
public struct Response: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The header fields. `Content-Length` is set by the server; a value set here is ignored.
    public var headers: HTTPFields
    /// The body.
    public var body: ResponseBody
    /// A name for the route that answered (`"token"`, `"api"`), the `route` label of the server's request metrics
    /// when `serve --metrics-listen` is on (docs/operations.md); `nil` is counted as `other`. A string literal, so
    /// that no request input (a path, an id) can become a label value. Never sent on the wire.
    public var metricsRoute: StaticString?

    /// Creates a response.
    public init(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], body: ResponseBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "text/plain; charset=utf-8" }
        return Response(status: status, headers: headers, body: ResponseBody(string: text))
    }

    /// A `text/html; charset=utf-8` response.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "text/html; charset=utf-8" }
        return Response(status: status, headers: headers, body: ResponseBody(string: html))
    }

    /// A JSON response (`application/json` unless `headers` sets another content type), like `Response.json()`.
    /// Written by ``JSONWriter`` (the output of `JSONEncoder`, without its cost).
    /// - Throws: The encoder's error when `value` cannot be encoded.
    public static func json(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) throws -> Response {
        let data = try JSONWriter.encode(value)
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return Response(status: status, headers: headers, body: ResponseBody(bytes: data))
    }

    /// A redirect to `location`, like `Response.redirect()`.
    /// - Parameters:
    ///   - location: The absolute URL to redirect to.
    ///   - status: 301, 302 (the default), 303, 307 or 308.
    /// - Throws: ``RedirectStatusError`` for any other status, as the Fetch standard throws `RangeError`.
    public static func redirect(_ location: String, status: HTTPResponse.Status = .found) throws -> Response {
        guard [301, 302, 303, 307, 308].contains(status.code) else {
            throw RedirectStatusError(status: status.code)
        }
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: status, headers: headers)
    }

    /// A redirect to `url`.
    public static func redirect(_ url: URL, status: HTTPResponse.Status = .found) throws -> Response {
        try redirect(url.absoluteString, status: status)
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }

    /// Appends a `Set-Cookie` field; earlier cookies are kept as separate fields.
    public mutating func setCookie(_ cookie: Cookie) {
        headers.append(HTTPField(name: .setCookie, value: cookie.headerValue))
    }

    /// Every `Set-Cookie` value, one per field (the Workers `headers.getAll("Set-Cookie")`).
    public var setCookies: [String] { headers[values: .setCookie] }
}

/// `Response.redirect` was given a status that is not a redirect.
public struct RedirectStatusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rejected status code.
    public let status: Int

    public init(status: Int) {
        self.status = status
    }
    public var description: String { "Invalid redirect status \(status): use 301, 302, 303, 307 or 308" }
}
