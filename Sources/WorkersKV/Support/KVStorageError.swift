/// A backend could not read or write its storage (an I/O error, a corrupt file), as opposed to a rejected request
/// (``KVError``).
public struct KVStorageError: Error, Sendable, CustomStringConvertible {
    /// What failed and where, e.g. `rename .tmp-1 -> client%3Aabc in /srv/kv: No space left on device`.
    public let message: String

    /// Creates an error with a message that names the failing operation and path.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "KV storage error: \(message)" }
}
