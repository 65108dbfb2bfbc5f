/// A rejected KV operation, worded like the errors Workers KV gives (`KV PUT failed: 414 ...`).
public struct KVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation: `GET`, `PUT`, `DELETE` or `LIST`.
    public let operation: String
    /// The HTTP-style status Workers KV uses for this error (400, 413, 414).
    public let status: Int
    /// What was wrong, including the value seen and the limit.
    public let message: String

    public init(operation: String, status: Int, message: String) {
        self.operation = operation
        self.status = status
        self.message = message
    }

    public var description: String { "KV \(operation) failed: \(status) \(message)" }
}
