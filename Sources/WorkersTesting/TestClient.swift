public import AsyncHTTPClient
public import Foundation
public import HTTPTypes
public import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
public import WorkersRuntime

/// An HTTP client for tests that talks to a handler in process or to a server over a real socket, with the same
/// calls and the same ``TestResponse``: in the spirit of Hummingbird's `app.test(.router | .live)`. No redirects are
/// followed; every response is read whole.
///
/// ```swift
/// let client = TestClient(handler: provider, env: env, origin: "https://auth.example.com")   // in process
/// let live = TestClient(baseURL: server.baseURL)                                           // over a socket
/// let response = try await client.postForm("/token", [("grant_type", "refresh_token"), ...])
/// ```
/// ``FetchHandling/test(_:env:origin:_:)`` runs one test body either way.
public struct TestClient: Sendable {
    /// The type of a response.
    public typealias Response = TestResponse

    private enum Target: Sendable {
        case inProcess(any FetchHandling, env: Env, origin: String)
        case live(baseURL: URL?, client: HTTPClient)
    }

    private let target: Target
    /// Headers sent with every request, before the request's own.
    public var defaultHeaders: [(String, String)]

    /// A client that calls `handler` in process; paths are resolved against `origin`.
    public init(handler: any FetchHandling, env: Env, origin: String, defaultHeaders: [(String, String)] = []) {
        target = .inProcess(handler, env: env, origin: origin)
        self.defaultHeaders = defaultHeaders
    }

    /// A client over real sockets; paths are resolved against `baseURL` (absolute URLs need none).
    public init(baseURL: URL? = nil, client: HTTPClient = TestClient.shared, defaultHeaders: [(String, String)] = []) {
        target = .live(baseURL: baseURL, client: client)
        self.defaultHeaders = defaultHeaders
    }

    /// A process-wide client that does not follow redirects and accepts self-signed certificates.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.tlsConfiguration = .makeClientConfiguration()
        configuration.tlsConfiguration?.certificateVerification = .none
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends a request to `path` (or an absolute URL string) and reads the whole response.
    public func send(
        _ method: HTTPRequest.Method = .get, _ path: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        try await send(method, resolve(path), headers: headers, bytes: body.map { ByteBuffer(string: $0) })
    }

    /// Sends a request to `url` and reads the whole response.
    public func send(
        _ method: HTTPRequest.Method = .get, _ url: URL, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> TestResponse {
        try await send(method, url, headers: headers, bytes: body.map { ByteBuffer(string: $0) })
    }

    /// Sends a request with a raw body and reads the whole response.
    public func send(
        _ method: HTTPRequest.Method, _ url: URL, headers: [(String, String)] = [], bytes: ByteBuffer?
    ) async throws -> TestResponse {
        let headers = defaultHeaders + headers
        switch target {
        case .inProcess(let handler, let env, _):
            var fields = HTTPFields()
            for (name, value) in headers {
                guard let fieldName = HTTPField.Name(name) else { throw TestClientError("invalid header name \(name)") }
                fields.append(HTTPField(name: fieldName, value: value))
            }
            let request = WorkersRuntime.Request(method: method, url: url, headers: fields, body: bytes ?? ByteBuffer())
            let response = try await handler.fetch(request, env: env, ctx: ExecutionContext())
            return TestResponse(status: response.status.code, headers: response.headers, body: try await response.body.collect())
        case .live(_, let client):
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = HTTPMethod(rawValue: method.rawValue)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let bytes { request.body = .bytes(bytes) }
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            var fields = HTTPFields()
            for header in response.headers {
                if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
            }
            return TestResponse(status: Int(response.status.code), headers: fields, body: body)
        }
    }

    /// Posts a form-urlencoded body to `path`.
    public func postForm(_ path: String, _ form: [(String, String)], headers: [(String, String)] = []) async throws -> TestResponse {
        try await postForm(resolve(path), form, headers: headers)
    }

    /// Posts a form-urlencoded body to `url`.
    public func postForm(_ url: URL, _ form: [(String, String)], headers: [(String, String)] = []) async throws -> TestResponse {
        let body = URLEncodedForm(form.map { (name: $0.0, value: $0.1) }).encoded
        return try await send(.post, url, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: body)
    }

    /// Posts a JSON body to `path`.
    public func postJSON(_ path: String, _ value: JSONValue, headers: [(String, String)] = []) async throws -> TestResponse {
        try await send(.post, resolve(path), headers: [("Content-Type", "application/json")] + headers, body: value.jsonString)
    }

    /// `path` as an absolute URL: itself when it has a scheme, else against the origin or base URL.
    public func resolve(_ path: String) throws -> URL {
        if path.hasPrefix("http://") || path.hasPrefix("https://"), let url = URL(string: path) { return url }
        let base: String
        switch target {
        case .inProcess(_, _, let origin): base = origin
        case .live(let baseURL, _):
            guard let baseURL else { throw TestClientError("a relative path needs a baseURL: \(path)") }
            base = baseURL.absoluteString
        }
        guard let url = URL(string: base + path) else { throw TestClientError("not a URL: \(base + path)") }
        return url
    }
}

/// A ``TestClient`` request could not be made.
public struct TestClientError: Error, CustomStringConvertible {
    /// What was wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
