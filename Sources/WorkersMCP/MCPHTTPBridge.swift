import Foundation
import HTTPTypes
import MCP
import NIOCore
import NIOFoundationCompat
import WorkersRuntime

/// Converts between the Worker request/response types and swift-sdk's framework-neutral HTTP types.
enum MCPHTTPBridge {
    /// Headers never handed to the MCP server: the client's credentials stay with the dispatcher.
    static let withheldHeaders: Set<String> = ["authorization", "cookie", "proxy-authorization"]
    /// Hop-by-hop headers the transport suggests but the HTTP server manages itself.
    static let droppedResponseHeaders: Set<String> = ["connection", "content-length", "transfer-encoding"]

    /// The SDK request for a Worker request, without credentials.
    static func mcpRequest(from request: WorkersRuntime.Request) -> MCP.HTTPRequest {
        var headers: [String: String] = [:]
        for field in request.headers where !withheldHeaders.contains(field.name.canonicalName) {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let body = request.body.readableBytes > 0 ? request.data : nil
        return MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.path)
    }

    /// The Worker response for an SDK response. In `.json` mode an event stream is read to its end and its final
    /// JSON-RPC response is returned as `application/json`; in `.sse` mode it is streamed (see ``SSEPump``).
    static func response(
        for response: MCP.HTTPResponse,
        mode: MCPHandler.ResponseMode,
        heartbeat: Duration? = nil,
        isStandalone: Bool = false
    ) async -> WorkersRuntime.Response {
        var fields = HTTPFields()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
            guard let fieldName = HTTPField.Name(name), !droppedResponseHeaders.contains(fieldName.canonicalName) else {
                continue
            }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        let status = HTTPTypes.HTTPResponse.Status(code: response.statusCode)
        switch response {
        case .stream(let stream, _) where mode == .sse:
            fields[.cacheControl] = "no-cache, no-transform"
            return WorkersRuntime.Response(status: status, headers: fields, body: .stream { writer in
                try await SSEPump.pump(stream, to: writer, heartbeat: heartbeat, endOnShutdown: isStandalone)
            })
        case .stream(let stream, _):
            var collected = Data()
            do {
                for try await chunk in stream { collected.append(chunk) }
            } catch {
                return await Self.response(for: .error(statusCode: 500, .internalError("Response stream failed")), mode: mode)
            }
            guard let message = SSEMessages.parse(collected).last(where: SSEMessages.isResponse) else {
                return await Self.response(
                    for: .error(statusCode: 500, .internalError("The session ended before the response")),
                    mode: mode
                )
            }
            fields[.contentType] = "application/json"
            fields[.cacheControl] = nil
            return WorkersRuntime.Response(status: status, headers: fields, body: ResponseBody(bytes: message))
        default:
            let body = response.bodyData.map { ResponseBody(bytes: $0) } ?? .empty
            return WorkersRuntime.Response(status: status, headers: fields, body: body)
        }
    }
}
