import Foundation
import HTTPTypes
import MCP
import WorkersAccess
import WorkersMCP
import WorkersRuntime

/// The access-protected example: an MCP server at `/mcp` that only answers requests carrying a valid identity-proxy
/// assertion (Cloudflare Access by default), configured from `[vars]`:
///
/// - `ACCESS_TEAM_DOMAIN` (e.g. `myteam.cloudflareaccess.com`) and `ACCESS_AUD` (the application's AUD tag);
/// - optional `ACCESS_JWKS_URL` and `ACCESS_ISSUER`, overriding the values derived from the team domain
///   (the key set URL must be HTTPS unless it is on a loopback host).
///
/// The app itself has no login code: the proxy signs people in, and the guard puts the identity it vouched for
/// (`email`, `sub`, or a service token's `common_name`) into the session's props.
enum AccessProtectedWorker {
    /// Builds the worker; throws (refusing to start) with a message naming missing or invalid vars.
    static func make(env: Env) throws -> Worker {
        let accessGuard = try AccessAssertionGuard(env: env)
        let mcp = MCPHandler(
            name: "access-protected",
            version: "1.0.0",
            instructions: "Tools for people your identity-aware proxy has signed in."
        ) { server, session in
            let identity = session.props ?? .null
            server.withMethodHandler(ListTools.self) { _ in
                ListTools.Result(tools: [
                    Tool(
                        name: "whoami",
                        description: "The identity the access proxy vouched for.",
                        inputSchema: ["type": "object", "properties": [:]]
                    )
                ])
            }
            server.withMethodHandler(CallTool.self) { params in
                guard params.name == "whoami" else {
                    return CallTool.Result(content: [.text(text: "Unknown tool \(params.name)", annotations: nil, _meta: nil)], isError: true)
                }
                let who = identity["email"]?.stringValue ?? identity["common_name"]?.stringValue
                    ?? identity["sub"]?.stringValue ?? "unknown"
                return CallTool.Result(content: [.text(text: "You are \(who) (\(identity.jsonString))", annotations: nil, _meta: nil)])
            }
        }
        let protected = mcp.guarded(by: accessGuard)
        return Worker { request, env, ctx in
            guard request.path == "/mcp" else {
                return Response.text("Not found. The MCP endpoint is /mcp.\n", status: .notFound)
            }
            return try await protected.fetch(request, env: env, ctx: ctx)
        }
    }
}
