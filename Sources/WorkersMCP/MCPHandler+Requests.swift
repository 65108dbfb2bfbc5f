import Foundation
import HTTPTypes
import Logging
import MCP
import NIOCore
import WorkersRuntime

extension MCPHandler {
    /// A POST in ``SessionMode/stateful`` mode: `initialize` opens a session, everything else names one.
    /// - Throws: ``WorkersRuntime/InsufficientScopeError`` for a tool whose scopes the caller's token lacks.
    func post(_ request: WorkersRuntime.Request, caller: MCPCaller, env: Env, logger: Logger) async throws -> WorkersRuntime.Response {
        let message: JSONRPCMessage
        switch Self.readMessage(request, eventStream: configuration.responseMode == .sse) {
        case .success(let read): message = read
        case .failure(let refusal): return refusal.response
        }
        if let required = caller.missingScopes(for: message, toolScopes: configuration.toolScopes) {
            throw InsufficientScopeError(requiredScopes: required)
        }
        let session: MCPLiveSession
        var opened = false
        if case .request(_, Initialize.name, _) = message, request.header(MCPResponses.sessionHeader.canonicalName) == nil {
            do {
                session = try await store.open(props: caller.props, owner: caller.owner, env: env, logger: logger)
                opened = true
            } catch {
                logger.error("MCP session setup failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
                return MCPResponses.error(status: 500, .internalError("Failed to create session"))
            }
        } else {
            switch await namedSession(request, owner: caller.owner) {
            case .success(let named): session = named
            case .failure(let refusal): return refusal.response
            }
        }
        switch message {
        case .notification(let method, let params):
            await MCPDispatcher.notify(method: method, params: params, server: session.server, session: session, logger: logger)
            return MCPResponses.accepted
        case .response:
            return MCPResponses.accepted
        case .request(let id, let method, let params):
            guard let cancellation = session.begin(id) else {
                return MCPResponses.error(
                    status: 400, .invalidRequest("Bad Request: a request with id \(id) is already in flight in this session"), id: id)
            }
            return await serve(
                id: id, method: method, params: params, in: session, cancellation: cancellation,
                fields: request.headers, caller: caller, newSessionID: opened ? session.id : nil)
        }
    }

    /// Runs request `id` of `session` and answers it as JSON or as an event stream.
    private func serve(
        id: JSONRPCID, method: String, params: Value?, in session: MCPLiveSession, cancellation: MCPCancellation,
        fields: HTTPFields, caller: MCPCaller, newSessionID: String?
    ) async -> WorkersRuntime.Response {
        guard configuration.responseMode == .sse else {
            defer { session.end(id) }
            let reply = await MCPDispatcher.serve(
                id: id, method: method, params: params, server: session.server, session: session,
                sessionID: session.id, fields: fields, caller: caller, stream: nil, cancellation: cancellation)
            return MCPResponses.json(reply ?? Self.cancelledReply(id), sessionID: newSessionID)
        }
        // The handler runs now, whether or not the body is ever written; the stream carries what it sends (progress)
        // and then its response. A client that goes away (a failed write) cancels it.
        let (sink, events) = MCPEventSink.make()
        let server = session.server
        Task {
            let reply = await MCPDispatcher.serve(
                id: id, method: method, params: params, server: server, session: session,
                sessionID: session.id, fields: fields, caller: caller, stream: sink, cancellation: cancellation)
            if let reply { sink.send(reply) }
            sink.finish()
            session.end(id)
        }
        return MCPResponses.events(
            events, heartbeat: configuration.heartbeatInterval, standalone: false, sessionID: newSessionID
        ) { clientGone in
            if clientGone { cancellation.cancel() }
        }
    }

    /// A POST in ``SessionMode/stateless`` mode: served by a server made for it alone, answered with JSON.
    /// - Throws: ``WorkersRuntime/InsufficientScopeError`` for a tool whose scopes the caller's token lacks.
    func postStateless(_ request: WorkersRuntime.Request, caller: MCPCaller, env: Env, logger: Logger) async throws -> WorkersRuntime.Response {
        let message: JSONRPCMessage
        switch Self.readMessage(request, eventStream: false) {
        case .success(let read): message = read
        case .failure(let refusal): return refusal.response
        }
        if let required = caller.missingScopes(for: message, toolScopes: configuration.toolScopes) {
            throw InsufficientScopeError(requiredScopes: required)
        }
        // A client's answer to a server request needs no server (this one sends none).
        if case .response = message { return MCPResponses.accepted }
        let id = RandomToken.base64URL(byteCount: 12)
        var requestLogger = logger
        requestLogger[metadataKey: "mcp-request"] = "\(id.prefix(8))"
        let server: MCPServer
        do {
            server = try await makeServer(MCPSession(id: id, props: caller.props, env: env, logger: requestLogger))
        } catch {
            logger.error("MCP server setup failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return MCPResponses.error(status: 500, .internalError("Failed to create the server"))
        }
        switch message {
        case .notification(let method, let params):
            await MCPDispatcher.notify(method: method, params: params, server: server, session: nil, logger: requestLogger)
            return MCPResponses.accepted
        case .response:
            return MCPResponses.accepted  // answered above
        case .request(let requestID, let method, let params):
            let reply = await MCPDispatcher.serve(
                id: requestID, method: method, params: params, server: server, session: nil,
                sessionID: id, fields: request.headers, caller: caller, stream: nil, cancellation: nil)
            return MCPResponses.json(reply ?? Self.cancelledReply(requestID))
        }
    }

    /// `GET`: the session's standalone event stream (``ResponseMode/sse`` only; one per session).
    func openStandaloneStream(_ request: WorkersRuntime.Request, owner: JSONValue?) async -> WorkersRuntime.Response {
        guard configuration.responseMode == .sse else {
            return MCPResponses.error(
                status: 405, .invalidRequest("Method Not Allowed: this server sends no event stream"), allow: allowedMethods)
        }
        guard Self.accepts(request, "text/event-stream") else {
            return MCPResponses.error(status: 406, .invalidRequest("Not Acceptable: Client must accept text/event-stream"))
        }
        let session: MCPLiveSession
        switch await namedSession(request, owner: owner) {
        case .success(let named): session = named
        case .failure(let refusal): return refusal.response
        }
        guard let events = session.openStandalone() else {
            return MCPResponses.error(status: 409, .invalidRequest("Conflict: the session's event stream is open already"))
        }
        return MCPResponses.events(Self.opening(events), heartbeat: configuration.heartbeatInterval, standalone: true)
    }

    /// `DELETE`: closes the named session.
    func delete(_ request: WorkersRuntime.Request, owner: JSONValue?) async -> WorkersRuntime.Response {
        switch await namedSession(request, owner: owner) {
        case .success(let session):
            await store.close(session.id)
            return WorkersRuntime.Response(status: .ok)
        case .failure(let refusal):
            return refusal.response
        }
    }

    // MARK: Reading the request

    /// An answer that refuses the request.
    struct Refusal: Error {
        let response: WorkersRuntime.Response
    }

    /// The session `MCP-Session-Id` names, if it is open and `owner` owns it (400 without the header, 404
    /// otherwise: unknown, expired and another identity's sessions look the same).
    func namedSession(_ request: WorkersRuntime.Request, owner: JSONValue?) async -> Result<MCPLiveSession, Refusal> {
        guard let sessionID = request.header(MCPResponses.sessionHeader.canonicalName) else {
            return .failure(Refusal(response: MCPResponses.error(status: 400, .invalidRequest("Bad Request: Missing MCP-Session-Id header"))))
        }
        guard let session = await store.session(sessionID, owner: owner) else {
            return .failure(Refusal(response: MCPResponses.error(status: 404, .invalidRequest("Not Found: Session not found or expired"))))
        }
        return .success(session)
    }

    /// The JSON-RPC message a POST carries, after its headers are checked (``refuseHeaders(_:eventStream:)``).
    static func readMessage(_ request: WorkersRuntime.Request, eventStream: Bool) -> Result<JSONRPCMessage, Refusal> {
        if let refusal = refuseHeaders(request, eventStream: eventStream) { return .failure(Refusal(response: refusal)) }
        do {
            return .success(try JSONRPCMessage.parse(request.body.readableBytesView))
        } catch {
            return .failure(Refusal(response: MCPResponses.error(status: error.status, error.error, id: error.id)))
        }
    }

    // MARK: Checks

    /// The refusal of a POST whose headers are wrong: `Accept` must name JSON (and event streams, when answers
    /// are streams), the body must be `application/json`, and an `MCP-Protocol-Version` must be one supported.
    static func refuseHeaders(_ request: WorkersRuntime.Request, eventStream: Bool) -> WorkersRuntime.Response? {
        guard accepts(request, "application/json"), !eventStream || accepts(request, "text/event-stream") else {
            let wanted = eventStream ? "both application/json and text/event-stream" : "application/json"
            return MCPResponses.error(status: 406, .invalidRequest("Not Acceptable: Client must accept \(wanted)"))
        }
        guard request.header("Content-Type").map({ MediaTypes.hasType($0, "application/json") }) == true else {
            return MCPResponses.error(status: 415, .invalidRequest("Unsupported Media Type: Content-Type must be application/json"))
        }
        if let version = request.header("MCP-Protocol-Version"), !Version.supported.contains(version) {
            let supported = Version.supported.sorted().joined(separator: ", ")
            return MCPResponses.error(
                status: 400, .invalidRequest("Bad Request: Unsupported protocol version: \(version). Supported: \(supported)"))
        }
        return nil
    }

    static func accepts(_ request: WorkersRuntime.Request, _ type: String) -> Bool {
        request.header("Accept").map { MediaTypes.lists($0, type) } ?? false
    }

    /// What a cancelled request's HTTP exchange carries in JSON mode, which must answer with something.
    static func cancelledReply(_ id: JSONRPCID) -> [UInt8] {
        JSONRPCReply.error(id: id, .serverError(code: -32800, message: "Request cancelled"))
    }

    /// `events` after an opening comment, so the client sees the stream is open before any message.
    static func opening(_ events: AsyncStream<[UInt8]>) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            continuation.yield(Array(": stream open\n\n".utf8))
            let forward = Task {
                for await event in events { continuation.yield(event) }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
        }
    }
}
