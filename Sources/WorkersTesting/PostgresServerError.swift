/// A ``PostgresServer`` could not be started or a tool it ran failed.
public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the tool's output or the server's log.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
