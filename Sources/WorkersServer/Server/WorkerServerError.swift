/// A ``WorkerServer`` configuration that cannot run, found when it starts.
public struct WorkerServerError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
