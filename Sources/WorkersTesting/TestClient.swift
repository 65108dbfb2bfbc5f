import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL
import WorkersRuntime

/// A small real HTTP client for tests: no redirects followed, every response read whole.
public struct TestClient: Sendable {
    /// A response as a test sees it.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer

        /// The body as text.
        public var text: String { String(buffer: body) }

        /// The body parsed as JSON.
        public var json: JSONValue? { try? JSONValue(parsing: Data(buffer: body)) }

        /// The first value of header `name`.
        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    public let client: HTTPClient

    /// Creates a client over the shared, non-redirecting one.
    public init(client: HTTPClient = TestClient.shared) {
        self.client = client
    }

    /// A process-wide client that does not follow redirects and accepts self-signed certificates.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.tlsConfiguration = .makeClientConfiguration()
        configuration.tlsConfiguration?.certificateVerification = .none
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Sends a request and reads the whole response.
    public func send(
        _ method: HTTPMethod = .GET,
        _ url: URL,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> Response {
        try await send(method, url, headers: headers, bytes: body.map { ByteBuffer(string: $0) })
    }

    /// Sends a request with a raw body and reads the whole response.
    public func send(
        _ method: HTTPMethod,
        _ url: URL,
        headers: [(String, String)] = [],
        bytes: ByteBuffer?
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bytes { request.body = .bytes(bytes) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Response(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// Posts a form-urlencoded body.
    public func postForm(_ url: URL, _ form: [(String, String)], headers: [(String, String)] = []) async throws -> Response {
        let body = URLEncodedForm(form.map { (name: $0.0, value: $0.1) }).encoded
        return try await send(.POST, url, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: body)
    }
}
