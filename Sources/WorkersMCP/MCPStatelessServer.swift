import Foundation
import Logging
import MCP
import WorkersRuntime

/// ``MCPHandler/SessionMode/stateless``: each POST is served by a `Server` made for it alone, on its own swift-sdk
/// `StatelessHTTPServerTransport`, and stopped once it has answered.
///
/// Nothing outlives the request, so any process can serve any request of any client, and a request is always served
/// with its own props: there is no session a request could name to reach another identity's server.
struct MCPStatelessServer: Sendable {
    let makeServer: @Sendable (MCPSession) async throws -> Server

    func handle(_ request: MCP.HTTPRequest, props: JSONValue?, env: Env, logger: Logger) async -> MCP.HTTPResponse {
        guard request.method.uppercased() == "POST" else {
            return .error(
                statusCode: 405,
                .invalidRequest("Method Not Allowed: this server keeps no sessions (stateless mode)"),
                extraHeaders: [HTTPHeaderName.allow: "POST"]
            )
        }
        let transport = StatelessHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .jsonOnly),
                ContentTypeValidator(),
                ProtocolVersionValidator(),
            ])
        )
        let id = RandomToken.base64URL(byteCount: 12)
        var requestLogger = logger
        requestLogger[metadataKey: "mcp-request"] = "\(id.prefix(8))"
        let server: Server
        do {
            server = try await makeServer(MCPSession(id: id, props: props, env: env, logger: requestLogger))
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            logger.error("MCP server setup failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return .error(statusCode: 500, .internalError("Failed to create the server"))
        }
        let response = await transport.handleRequest(request)
        await server.stop()
        await transport.disconnect()
        return response
    }
}
