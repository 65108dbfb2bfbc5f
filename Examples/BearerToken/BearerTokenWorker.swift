import HTTPTypes
import WorkersMCP
import WorkersRuntime

/// The bearer-token example, the seed's first approach: an MCP server at `/mcp` (tools `whoami` and `echo`) that
/// answers only requests carrying `Authorization: Bearer <MCP_SECRET_TOKEN>`, the way Claude Desktop sends a static
/// `headers` entry. Every other path answers a JSON hello behind the same token.
///
/// Rotation: set `MCP_SECRET_TOKEN_NEXT` too and both are accepted until you remove the old one.
enum BearerTokenWorker {
    /// The secrets whose values are accepted as bearer tokens.
    static let secretNames = ["MCP_SECRET_TOKEN", "MCP_SECRET_TOKEN_NEXT"]

    /// Builds the worker, refusing to start without a token.
    static func make(env: Env) throws -> Worker {
        guard let token = env.MCP_SECRET_TOKEN, !token.isEmpty else {
            throw MissingSecretError()
        }
        let hello = FetchHandler { request, _, ctx in
            try Response.json([
                "message": "Hello, authenticated caller",
                "method": .string(request.method.rawValue),
                "path": .string(request.path),
                "identity": ctx.props ?? .null,
            ] as JSONValue)
        }
        let tokenGuard = BearerTokenGuard(secretNames: secretNames, realm: "bearer-token")
        let mcp = BearerTokenTools.handler().guarded(by: tokenGuard)
        let api = hello.guarded(by: tokenGuard)
        return Worker { request, env, ctx in
            if request.path == "/mcp" { return try await mcp.fetch(request, env: env, ctx: ctx) }
            return try await api.fetch(request, env: env, ctx: ctx)
        }
    }
}

/// `MCP_SECRET_TOKEN` is not configured.
struct MissingSecretError: Error, CustomStringConvertible {
    var description: String {
        """
        MCP_SECRET_TOKEN is not set. Store one with
            swift run bearer-token secret generate | swift run bearer-token secret put MCP_SECRET_TOKEN
        (or `swift run bearer-token secret put MCP_SECRET_TOKEN` to type it), then start again.
        """
    }
}
