/// A `.dev.vars` (dotenv) file that cannot be parsed. Never contains a value, only names and positions.
public struct DotEnvError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as it was given.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
