/// The storage behind a namespace cannot be reached right now (a database server is down or restarting, a
/// connection was lost): the request may succeed if retried. Servers answer `503` for it, never `500`.
public struct KVUnavailableError: Error, Sendable, CustomStringConvertible {
    /// What could not be reached, without credentials (`PostgreSQL at 127.0.0.1:5432: connection refused`).
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "KV storage unavailable: \(message)" }
}
