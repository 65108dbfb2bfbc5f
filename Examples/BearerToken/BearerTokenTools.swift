import MCP
import WorkersMCP
import WorkersRuntime

/// The MCP server behind the static token: `whoami` (which of the accepted secrets the caller presented, as the
/// guard puts it in the session's props) and `echo`.
enum BearerTokenTools {
    static let tools = [
        Tool(
            name: "whoami",
            description: "Which configured token the caller presented (MCP_SECRET_TOKEN or MCP_SECRET_TOKEN_NEXT).",
            inputSchema: ["type": "object", "properties": [:]]
        ),
        Tool(
            name: "echo",
            description: "Returns the text it is given.",
            inputSchema: [
                "type": "object", "properties": ["text": ["type": "string", "description": "What to echo."]],
                "required": ["text"],
            ]
        ),
    ]

    /// A new MCP handler (each keeps its own sessions).
    static func handler() -> MCPHandler {
        MCPHandler(name: "bearer-token", version: "1.0.0", instructions: "Tools behind one static bearer token.") { server, session in
            serve(server, identity: session.props ?? .null)
        }
    }

    static func serve(_ server: MCPServer, identity: JSONValue) {
        server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        server.withMethodHandler(CallTool.self) { params in
            switch params.name {
            case "whoami":
                return CallTool.Result(content: [.text(text: identity.jsonString, annotations: nil, _meta: nil)])
            case "echo":
                guard case .string(let text)? = params.arguments?["text"] else {
                    return CallTool.Result(content: [.text(text: "echo needs a string `text`", annotations: nil, _meta: nil)], isError: true)
                }
                return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)])
            default:
                return CallTool.Result(content: [.text(text: "Unknown tool \(params.name)", annotations: nil, _meta: nil)], isError: true)
            }
        }
    }
}
