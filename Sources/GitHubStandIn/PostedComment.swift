/// An issue comment posted to the stand-in (`POST /repos/{owner}/{repo}/issues/{number}/comments`).
public struct PostedComment: Sendable, Hashable {
    /// The comment id.
    public var id: Int
    /// Who posted it.
    public var author: String
    /// `owner/repo#number`.
    public var issue: String
    /// The text.
    public var body: String
}
