/// Where a key is written in a config file (1-based line and column), for error messages.
struct ConfigKeyPosition: Equatable, Sendable {
    var line: Int
    var column: Int
}

/// Finds where a key path is written in a config file. Best effort: it only ever improves an error message.
protocol ConfigKeyLocator: Sendable {
    /// The position of `path`, or of its nearest ancestor that is known; `nil` when none is.
    func position(of path: ConfigKeyPath) -> ConfigKeyPosition?
}
