/// A config file that cannot be used: malformed TOML, a wrong type, a missing environment.
///
/// The description names the file, the position and the key, like a compiler diagnostic:
/// `wrangler.toml:12:1: [dev] port: expected an integer, got "abc"`.
public struct WorkerConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config file, as it was given.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The key at fault, like `[dev] port` or `[[kv_namespaces]] binding`, when there is one.
    public var key: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let subject = key.map { "\($0): " } ?? ""
        return "\(location): \(subject)\(message)"
    }
}
