import HTTPTypes
import WorkersRuntime

/// The bearer-token example: every request must carry `Authorization: Bearer <MCP_SECRET_TOKEN>`.
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
        let api = FetchHandler { request, _, ctx in
            try Response.json([
                "message": "Hello, authenticated caller",
                "method": .string(request.method.rawValue),
                "path": .string(request.path),
                "identity": ctx.props ?? .null,
            ] as JSONValue)
        }
        return Worker(fetch: api.guarded(by: BearerTokenGuard(secretNames: secretNames, realm: "bearer-token")))
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
