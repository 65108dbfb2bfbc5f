public import Foundation
public import HTTPTypes
public import NIOCore
import NIOFoundationCompat
public import WorkersRuntime

/// A response as a test sees it, whole: the same type whether it came from a handler in process or over a socket.
public struct TestResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: HTTPFields
    /// The body.
    public var body: ByteBuffer

    /// Creates a response.
    public init(status: Int, headers: HTTPFields, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response with a text body.
    public init(status: Int, headers: HTTPFields, text: String) {
        self.init(status: status, headers: headers, body: ByteBuffer(string: text))
    }

    /// The body as text.
    public var text: String { String(buffer: body) }

    /// The body parsed as JSON, or `nil` when it is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: Data(buffer: body)) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[fields: $0].first?.value }
    }

    /// The `Location` header, parsed.
    public var location: URLComponents? { header("Location").flatMap(URLComponents.init(string:)) }

    /// Every value of query parameter `name` in the `Location` header.
    public func locationValues(_ name: String) -> [String] {
        (location?.queryItems ?? []).filter { $0.name == name }.compactMap(\.value)
    }

    /// The OAuth `error` of a JSON error body.
    public var error: String? { json?["error"]?.stringValue }

    /// The OAuth `error_description` of a JSON error body.
    public var errorDescription: String? { json?["error_description"]?.stringValue }
}
