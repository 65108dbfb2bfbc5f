import Foundation
import MCP
import WorkersMCP
import WorkersRuntime

/// The MCP server of the example: `whoami`, `list_repositories` and `get_issue`, and `comment_on_issue`, which
/// needs the `mcp:write` scope (a client whose token lacks it gets `403 insufficient_scope` and re-authorizes for
/// it: step-up), acting for the signed-in user with the GitHub token held in the grant's props (never the MCP
/// client's token).
enum GitHubTools {
    /// The scope a client needs for the tools that change something on GitHub.
    static let writeScope = "mcp:write"
    /// The scopes each tool needs beyond `mcp` (``WorkersMCP/MCPHandler/Configuration/toolScopes``).
    static let toolScopes = ["comment_on_issue": [writeScope]]

    static let tools: [Tool] = [
        Tool(
            name: "whoami",
            description: "The GitHub account this MCP session is signed in as.",
            inputSchema: ["type": "object", "properties": [:]],
            annotations: .init(readOnlyHint: true, openWorldHint: false)
        ),
        Tool(
            name: "list_repositories",
            description: "Repositories of the signed-in GitHub account, most recently updated first.",
            inputSchema: [
                "type": "object",
                "properties": ["limit": ["type": "integer", "minimum": 1, "maximum": 100, "description": "At most this many (30)."]],
            ],
            annotations: .init(readOnlyHint: true, openWorldHint: true)
        ),
        Tool(
            name: "get_issue",
            description: "One issue of a GitHub repository.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "owner": ["type": "string"], "repo": ["type": "string"], "number": ["type": "integer", "minimum": 1],
                ],
                "required": ["owner", "repo", "number"],
            ],
            annotations: .init(readOnlyHint: true, openWorldHint: true)
        ),
        Tool(
            name: "comment_on_issue",
            description: "Comments on a GitHub issue as the signed-in user (needs the mcp:write scope).",
            inputSchema: [
                "type": "object",
                "properties": [
                    "owner": ["type": "string"], "repo": ["type": "string"], "number": ["type": "integer", "minimum": 1],
                    "body": ["type": "string", "minLength": 1],
                ],
                "required": ["owner", "repo", "number", "body"],
            ],
            annotations: .init(readOnlyHint: false, destructiveHint: false, openWorldHint: true)
        ),
    ]

    /// The `/mcp` handler: one MCP server per session, for the session's GitHub identity.
    static func handler(configuration: MCPHandler.Configuration = .init()) -> MCPHandler {
        MCPHandler(
            name: "github-mcp",
            version: "1.0.0",
            title: "GitHub (swift-workers example)",
            instructions: "Tools that read GitHub as the signed-in user.",
            configuration: configuration
        ) { server, session in
            let props = try session.props(as: GitHubProps.self)
            let github = try GitHubClient(env: session.env)
            server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
            server.withMethodHandler(CallTool.self) { params in
                // The request's own props: after a step-up re-authorization they are the new grant's, whose GitHub
                // token holds the scopes the new grant was given (the session keeps the props it was opened with).
                let current = MCPRequestContext.current?.props.flatMap { try? $0.decode(as: GitHubProps.self) }
                do {
                    return try await call(params, props: current ?? props, github: github)
                } catch let error as GitHubError {
                    return CallTool.Result(content: [text(error.message)], isError: true)
                }
            }
        }
    }

    static func call(_ params: CallTool.Parameters, props: GitHubProps, github: GitHubClient) async throws -> CallTool.Result {
        let arguments = params.arguments ?? [:]
        switch params.name {
        case "whoami":
            let identity: [String: Value] = [
                "login": .string(props.login),
                "name": props.name.map(Value.string) ?? .null,
                "email": props.email.map(Value.string) ?? .null,
            ]
            let summary = "Signed in to GitHub as @\(props.login)" + (props.name.map { " (\($0))" } ?? "")
            return CallTool.Result(content: [text(summary)], structuredContent: .object(identity))
        case "list_repositories":
            let limit = min(100, max(1, arguments["limit"]?.intValue ?? 30))
            let repositories = try await github.repositories(token: props.accessToken, perPage: limit)
            let lines = repositories.prefix(limit).map { repository in
                "\(repository.fullName)\(repository.isPrivate ? " (private)" : "")"
                    + (repository.description.map { ": \($0)" } ?? "")
            }
            return CallTool.Result(content: [text(lines.isEmpty ? "No repositories." : lines.joined(separator: "\n"))])
        case "get_issue":
            guard let owner = arguments["owner"]?.stringValue, let repo = arguments["repo"]?.stringValue,
                let number = arguments["number"]?.intValue ?? arguments["number"]?.doubleValue.map({ Int($0) })
            else {
                return CallTool.Result(content: [text("get_issue needs owner, repo and number")], isError: true)
            }
            let issue = try await github.issue(owner: owner, repo: repo, number: number, token: props.accessToken)
            var lines = ["#\(issue.number) \(issue.title) [\(issue.state)]"]
            if let body = issue.body, !body.isEmpty { lines += ["", body] }
            if let url = issue.htmlURL { lines += ["", url] }
            return CallTool.Result(content: [text(lines.joined(separator: "\n"))])
        case "comment_on_issue":
            guard let owner = arguments["owner"]?.stringValue, let repo = arguments["repo"]?.stringValue,
                let number = arguments["number"]?.intValue ?? arguments["number"]?.doubleValue.map({ Int($0) }),
                let body = arguments["body"]?.stringValue, !body.isEmpty
            else {
                return CallTool.Result(content: [text("comment_on_issue needs owner, repo, number and body")], isError: true)
            }
            let url = try await github.comment(owner: owner, repo: repo, number: number, body: body, token: props.accessToken)
            return CallTool.Result(content: [text("Commented on \(owner)/\(repo)#\(number)" + (url.map { ": \($0)" } ?? ""))])
        default:
            return CallTool.Result(content: [text("Unknown tool \(params.name)")], isError: true)
        }
    }

    static func text(_ string: String) -> Tool.Content {
        .text(text: string, annotations: nil, _meta: nil)
    }
}
