import Foundation

/// A request the ``GitHubStandIn`` received, kept so tests can assert what reached "GitHub".
public struct RecordedRequest: Sendable, Hashable {
    /// The method (`GET`, `POST`).
    public var method: String
    /// The path and query.
    public var target: String
    /// Header fields, names lower-cased, in arrival order.
    public var headers: [Header]
    /// The body as text.
    public var body: String

    /// One header field.
    public struct Header: Sendable, Hashable {
        /// The lower-cased field name.
        public var name: String
        /// The field value.
        public var value: String
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// Whether `text` appears anywhere in the request: target, any header value or the body.
    public func contains(_ text: String) -> Bool {
        target.contains(text) || body.contains(text) || headers.contains { $0.value.contains(text) }
    }
}
