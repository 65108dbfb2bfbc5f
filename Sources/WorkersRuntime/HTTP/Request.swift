public import Foundation
public import HTTPTypes
public import NIOCore
import NIOFoundationCompat

/// An incoming (or outgoing) HTTP request, as a Worker's `fetch` handler sees it.
///
/// The body has already been read (up to the server's body limit), so it can be read as bytes, text, JSON or a form
/// any number of times.
///
/// ```swift
/// let worker = Worker { request, env, ctx in
///     guard request.method == .post else { return Response(status: .methodNotAllowed) }
///     let form = try request.form()
///     return Response.text("Hello, \(form["name"] ?? "world")")
/// }
/// ```
public struct Request: Sendable {
    /// The request method.
    public var method: HTTPRequest.Method
    /// The absolute URL, with the public origin the client used (see ``WorkerConfig/Host/publicOrigin``).
    public var url: URL
    /// The header fields; names compare case-insensitively and repeated fields stay apart.
    public var headers: HTTPFields
    /// The request body.
    public var body: ByteBuffer
    /// The IP address of the client that sent the request, as the server saw it: the peer of the connection, or,
    /// behind a proxy whose forwarding headers are trusted, the first `Forwarded: for=` / `X-Forwarded-For` entry.
    /// `nil` when unknown (a request built in process). Rate limits key on it.
    public var clientAddress: String?

    /// Creates a request.
    /// - Parameters:
    ///   - method: The method, `GET` by default.
    ///   - url: The absolute URL.
    ///   - headers: Header fields.
    ///   - body: The body bytes.
    ///   - clientAddress: The client's IP address, when known.
    public init(
        method: HTTPRequest.Method = .get, url: URL, headers: HTTPFields = [:], body: ByteBuffer = ByteBuffer(),
        clientAddress: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.clientAddress = clientAddress
    }

    /// Creates a request from a URL string and an optional text body.
    /// - Throws: ``RequestError`` when `url` is not an absolute URL.
    public init(method: HTTPRequest.Method = .get, url: String, headers: HTTPFields = [:], body: String? = nil) throws {
        guard let parsed = URL(string: url, encodingInvalidCharacters: false), parsed.scheme != nil, parsed.host != nil else {
            throw RequestError.invalidURL(url)
        }
        self.init(method: method, url: parsed, headers: headers, body: ByteBuffer(string: body ?? ""))
    }

    /// The URL's percent-encoded path (`/` when empty), like `new URL(request.url).pathname`.
    public var path: String {
        // The URL keeps its components' ranges, so this is a substring, not a parse (providers read it many times
        // per request).
        let path = url.path(percentEncoded: true)
        return path.isEmpty ? "/" : path
    }

    /// The origin (`scheme://host[:port]`) of the URL.
    public var origin: String { url.origin }

    /// The query parameters, decoded like `URLSearchParams` (`+` is a space), in order, repeated names kept.
    /// A pair with malformed percent-encoding is kept with its raw text.
    public var searchParams: URLEncodedForm {
        guard let query = url.query(percentEncoded: true), !query.isEmpty else { return URLEncodedForm() }
        return URLEncodedForm(lenientlyParsing: query)
    }

    /// The query parameters as `URLQueryItem`s, decoded like ``searchParams``.
    public var queryItems: [URLQueryItem] {
        searchParams.pairs.map { URLQueryItem(name: $0.name, value: $0.value) }
    }

    /// The first query parameter named `name` (`new URL(request.url).searchParams.get(name)`).
    public func query(_ name: String) -> String? {
        searchParams[name]
    }

    /// The value of header `name` (case-insensitive); repeated fields are joined with `, `.
    public func header(_ name: String) -> String? {
        guard let fieldName = HTTPField.Name(name) else { return nil }
        return headers[fieldName]
    }

    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }

    /// The body as `Data`.
    public var data: Data { Data(buffer: body, byteTransferStrategy: .noCopy) }

    /// Decodes the body as JSON.
    public func json<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: data)
    }

    /// Parses the body as `application/x-www-form-urlencoded`.
    /// - Throws: ``URLEncodedForm/ParseError`` for malformed percent-encoding.
    public func form() throws -> URLEncodedForm {
        try URLEncodedForm(parsing: text)
    }

    /// The media type of the body, lower-cased, without parameters (`application/json`).
    public var mediaType: String? {
        guard let value = headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Cookies sent with the request, by name (the first of repeated names wins).
    public var cookies: [String: String] { Cookie.parse(headers[values: .cookie]) }
}

/// A request could not be built.
public enum RequestError: Error, Equatable, Sendable {
    /// The string is not an absolute URL.
    case invalidURL(String)
}

extension URL {
    /// `scheme://host[:port]`, omitting the scheme's default port.
    public var origin: String {
        let scheme = (self.scheme ?? "http").lowercased()
        var host = self.host(percentEncoded: false) ?? ""
        if host.contains(":") { host = "[\(host)]" }
        var origin = "\(scheme)://\(host.lowercased())"
        if let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) {
            origin += ":\(port)"
        }
        return origin
    }
}
