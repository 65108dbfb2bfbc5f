import Foundation
import HTTPTypes
import Synchronization
import WorkersRuntime

extension GitHubStandIn {
    /// The most recent comments kept (older ones are dropped, so memory stays bounded).
    static let commentLimit = 1000

    /// The comments posted so far (the newest ``commentLimit``), oldest first.
    public var comments: [PostedComment] {
        state.withLock { $0.comments.elements }
    }

    /// `POST /repos/{owner}/{repo}/issues/{number}/comments` with `{"body": "…"}`: like GitHub, the token needs
    /// the `public_repo` or `repo` scope (`repo` for a private repository), else `403`; an issue the viewer cannot
    /// see is `404`; a missing or empty body is `422`. Answers `201` with the comment.
    func comment(owner: String, repo: String, number: String, request: Request, by viewer: User, scope: String) throws -> Response {
        guard let ownerAccount = configuration.users.first(where: { $0.login.lowercased() == owner.lowercased() }),
            let repository = ownerAccount.repositories.first(where: { $0.name.lowercased() == repo.lowercased() }),
            !repository.isPrivate || ownerAccount.login == viewer.login,
            let number = Int(number), repository.issues.contains(where: { $0.number == number })
        else {
            return try Self.apiError(.notFound, "Not Found")
        }
        let scopes = Set(scope.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
        guard scopes.contains("repo") || (!repository.isPrivate && scopes.contains("public_repo")) else {
            var response = try Self.apiError(.forbidden, "Resource not accessible by integration")
            response.headers[HTTPField.Name("X-Accepted-OAuth-Scopes")!] = repository.isPrivate ? "repo" : "repo, public_repo"
            return response
        }
        guard let body = (try? JSONValue(parsing: request.data))?["body"]?.stringValue, !body.isEmpty else {
            return try Self.apiError(.unprocessableContent, "Validation Failed: body is required")
        }
        let comment = state.withLock { state -> PostedComment in
            state.commentsPosted += 1
            let comment = PostedComment(
                id: state.commentsPosted, author: viewer.login, issue: "\(ownerAccount.login)/\(repository.name)#\(number)", body: body
            )
            state.comments.append(comment)
            return comment
        }
        return try Response.json(
            [
                "id": .number(Double(comment.id)), "body": .string(body), "user": Self.ownerJSON(viewer),
                "html_url": .string("https://github.com/\(ownerAccount.login)/\(repository.name)/issues/\(number)#issuecomment-\(comment.id)"),
            ] as JSONValue,
            status: .created
        )
    }
}
