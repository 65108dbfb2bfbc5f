/// A GitHub call failed.
struct GitHubError: Error, CustomStringConvertible {
    /// What went wrong.
    let message: String
    /// The HTTP status GitHub answered with, when it answered.
    let status: Int?

    init(_ message: String, status: Int? = nil) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}
