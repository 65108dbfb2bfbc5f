import Foundation
import HTTPTypes
import Synchronization
import WorkersRuntime

extension GitHubStandIn {
    /// Authenticates an API request like GitHub: a `User-Agent` is required, then `Bearer` or `token` credentials.
    func api(_ request: Request, _ handle: (User, String) throws -> Response) throws -> Response {
        guard let agent = request.header("User-Agent"), !agent.isEmpty else {
            return Response.text(
                "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.",
                status: .forbidden
            )
        }
        guard let authorization = request.header("Authorization") else {
            return try Self.apiError(.unauthorized, "Requires authentication")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else {
            return try Self.apiError(.unauthorized, "Bad credentials")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let grant = state.withLock { $0.tokens[token] }
        guard let grant, let user = configuration.users.first(where: { $0.login == grant.login }) else {
            return try Self.apiError(.unauthorized, "Bad credentials")
        }
        return try handle(user, grant.scope)
    }

    static func userJSON(_ user: User) -> JSONValue {
        [
            "login": .string(user.login),
            "id": .number(Double(user.id)),
            "node_id": .string("U_standin\(user.id)"),
            "type": "User",
            "site_admin": false,
            "html_url": .string("https://github.com/\(user.login)"),
            "name": user.name.map(JSONValue.string) ?? .null,
            "email": user.email.map(JSONValue.string) ?? .null,
            "public_repos": .number(Double(user.repositories.filter { !$0.isPrivate }.count)),
        ]
    }

    static func ownerJSON(_ user: User) -> JSONValue {
        ["login": .string(user.login), "id": .number(Double(user.id)), "type": "User"]
    }

    static func repositoryJSON(_ repository: Repository, owner: User) -> JSONValue {
        [
            "id": .number(Double(repository.id)),
            "name": .string(repository.name),
            "full_name": .string("\(owner.login)/\(repository.name)"),
            "private": .bool(repository.isPrivate),
            "visibility": .string(repository.isPrivate ? "private" : "public"),
            "owner": ownerJSON(owner),
            "html_url": .string("https://github.com/\(owner.login)/\(repository.name)"),
            "description": repository.description.map(JSONValue.string) ?? .null,
            "open_issues_count": .number(Double(repository.issues.filter { $0.state == "open" }.count)),
        ]
    }

    /// `GET /user/repos`, honouring `per_page` (default 30, max 100) and `page`.
    func repositoriesJSON(of user: User, request: Request) -> JSONValue {
        let perPage = min(100, max(1, request.query("per_page").flatMap(Int.init) ?? 30))
        let page = max(1, request.query("page").flatMap(Int.init) ?? 1)
        let all = user.repositories.map { Self.repositoryJSON($0, owner: user) }
        let start = (page - 1) * perPage
        guard start < all.count else { return [] }
        return .array(Array(all[start..<min(all.count, start + perPage)]))
    }

    /// `GET /repos/{owner}/{repo}/issues/{number}`: private repositories are visible to their owner only.
    func issue(owner: String, repo: String, number: String, for viewer: User) throws -> Response {
        guard let ownerAccount = configuration.users.first(where: { $0.login.lowercased() == owner.lowercased() }),
            let repository = ownerAccount.repositories.first(where: { $0.name.lowercased() == repo.lowercased() }),
            !repository.isPrivate || ownerAccount.login == viewer.login,
            let number = Int(number),
            let issue = repository.issues.first(where: { $0.number == number })
        else {
            return try Self.apiError(.notFound, "Not Found")
        }
        return try Response.json([
            "number": .number(Double(issue.number)),
            "title": .string(issue.title),
            "state": .string(issue.state),
            "body": issue.body.map(JSONValue.string) ?? .null,
            "user": Self.ownerJSON(ownerAccount),
            "html_url": .string("https://github.com/\(ownerAccount.login)/\(repository.name)/issues/\(issue.number)"),
        ] as JSONValue)
    }
}
