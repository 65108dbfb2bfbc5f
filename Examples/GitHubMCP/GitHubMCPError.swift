/// A configuration problem of the example.
struct GitHubMCPError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
