import Foundation
import HTTPTypes
import MCP
import NIOCore
import WorkersRuntime

/// The HTTP responses of an ``MCPHandler``.
enum MCPResponses {
    static let sessionHeader = HTTPField.Name("MCP-Session-Id")!

    /// One JSON-RPC message as `application/json`.
    static func json(_ message: [UInt8], status: HTTPTypes.HTTPResponse.Status = .ok, sessionID: String? = nil) -> WorkersRuntime.Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let sessionID { headers[sessionHeader] = sessionID }
        return WorkersRuntime.Response(status: status, headers: headers, body: ResponseBody(bytes: message))
    }

    /// A JSON-RPC error (for request `id`, or `null`) with an HTTP status.
    static func error(status: Int, _ error: MCPError, id: JSONRPCID? = nil, allow: String? = nil) -> WorkersRuntime.Response {
        var response = json(JSONRPCReply.error(id: id, error), status: HTTPTypes.HTTPResponse.Status(code: status))
        if let allow { response.headers[.allow] = allow }
        return response
    }

    /// `202 Accepted` without a body: the answer to a notification or a response.
    static var accepted: WorkersRuntime.Response { WorkersRuntime.Response(status: .accepted) }

    /// A `text/event-stream` of `events`, with keep-alive comments every `heartbeat`; a standalone stream also ends
    /// at graceful shutdown. `ended` runs when the stream stops being written, whether it finished or the client
    /// went away (a failed write).
    static func events(
        _ events: AsyncStream<[UInt8]>,
        heartbeat: Duration?,
        standalone: Bool,
        sessionID: String? = nil,
        ended: @escaping @Sendable (_ clientGone: Bool) -> Void = { _ in }
    ) -> WorkersRuntime.Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache, no-transform"
        if let sessionID { headers[sessionHeader] = sessionID }
        return WorkersRuntime.Response(status: .ok, headers: headers, body: .stream { writer in
            do {
                try await SSEPump.pump(events, to: writer, heartbeat: heartbeat, endOnShutdown: standalone)
                // The server cancels the body's task when a write to the connection failed.
                ended(Task.isCancelled)
            } catch {
                ended(true)
                throw error
            }
        })
    }
}
