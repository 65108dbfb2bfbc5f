/// A ``PostgresKV`` cannot be configured as asked: a malformed or unsupported connection URL, a missing secret, an
/// unusable namespace name. Its message never contains a password.
public struct PostgresKVConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `the secret DATABASE_URL holding OAUTH_KV's connection URL is not set`.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "PostgreSQL KV configuration: \(message)" }
}
