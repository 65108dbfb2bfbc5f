import Foundation
import HTTPTypes
import Logging
import MCP
import WorkersRuntime

/// Answers JSON-RPC requests and notifications for one ``MCPServer``: the lifecycle methods itself, everything else
/// through the server's registered handlers.
enum MCPDispatcher {
    /// Serves request `id`: the JSON-RPC response to send, or `nil` when it was cancelled (MCP sends no response
    /// to a cancelled request).
    static func serve(
        id: JSONRPCID,
        method: String,
        params: Value?,
        server: MCPServer,
        session: MCPLiveSession?,
        sessionID: String,
        fields: HTTPFields,
        caller: MCPCaller,
        stream: MCPEventSink?,
        cancellation: MCPCancellation?
    ) async -> [UInt8]? {
        switch method {
        case Initialize.name:
            let requested = params?.objectValue?["protocolVersion"]?.stringValue ?? ""
            let version = Version.supported.contains(requested) ? requested : Version.latest
            if let session, !session.markInitialized() {
                return JSONRPCReply.error(id: id, .invalidRequest("the session is initialized already"))
            }
            return Self.encode(id: id, server.initializeResult(protocolVersion: version))
        case Ping.name:
            return Self.encode(id: id, Empty())
        default:
            guard let handler = server.methodHandler(method) else {
                return JSONRPCReply.error(id: id, .methodNotFound("\(method)"))
            }
            let context = MCPRequestContext(
                id: id, method: method, sessionID: sessionID, params: params, fields: fields, caller: caller, stream: stream)
            let work = Task {
                try await MCPRequestContext.$current.withValue(context) { try await handler(params) }
            }
            cancellation?.attach { work.cancel() }
            let result = await withTaskCancellationHandler {
                await work.result
            } onCancel: {
                work.cancel()
            }
            switch result {
            case .success(let value):
                return Self.encode(id: id, value)
            case .failure(let error):
                if error is CancellationError || work.isCancelled { return nil }
                return JSONRPCReply.error(id: id, Self.mcpError(error))
            }
        }
    }

    /// Runs the server's handlers of notification `method`. The lifecycle notifications are the handler's own:
    /// `notifications/cancelled` cancels the named request of the session.
    static func notify(method: String, params: Value?, server: MCPServer, session: MCPLiveSession?, logger: Logger) async {
        if method == CancelledNotification.name {
            if let value = params?.objectValue?["requestId"], let id = JSONRPCID(value) { session?.cancel(id) }
            return
        }
        for handler in server.notificationHandlers(method) {
            do {
                try await handler(params)
            } catch {
                logger.debug("MCP notification handler failed", metadata: [
                    "method": "\(method.escapedForLog)", "error": "\(String(describing: error).escapedForLog)",
                ])
            }
        }
    }

    private static func encode(id: JSONRPCID, _ result: any Encodable) -> [UInt8] {
        do {
            return try JSONRPCReply.result(id: id, result: result)
        } catch {
            return JSONRPCReply.error(id: id, .internalError("the result could not be encoded"))
        }
    }

    /// The JSON-RPC error for what a handler threw.
    static func mcpError(_ error: any Error) -> MCPError {
        switch error {
        case let error as MCPError: error
        case let error as MCPParameters.Invalid: .invalidParams("\(error.detail)")
        default: .internalError("\(error.localizedDescription)")
        }
    }
}
