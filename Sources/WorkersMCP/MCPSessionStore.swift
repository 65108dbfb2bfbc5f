import Foundation
import Logging
import MCP
import WorkersRuntime

/// The open sessions of one ``MCPHandler``: each a started `Server` on its own `StatefulHTTPServerTransport`.
///
/// Two caps bound them: ``MCPHandler/Configuration/maxSessionsPerGrant`` per owner (the props that opened a
/// session) and ``MCPHandler/Configuration/maxSessions`` in all; each evicts the least recently used session.
actor MCPSessionStore {
    private struct Entry {
        let server: Server
        let transport: StatefulHTTPServerTransport
        let owner: JSONValue?
        var lastUsed: Date
    }

    private let configuration: MCPHandler.Configuration
    private let makeServer: @Sendable (MCPSession) async throws -> Server
    private var sessions: [String: Entry] = [:]

    init(configuration: MCPHandler.Configuration, makeServer: @escaping @Sendable (MCPSession) async throws -> Server) {
        self.configuration = configuration
        self.makeServer = makeServer
    }

    var count: Int { sessions.count }

    /// Routes a request to its session, or opens a session for an `initialize` request.
    func handle(_ request: MCP.HTTPRequest, props: JSONValue?, env: Env, logger: Logger) async -> MCP.HTTPResponse {
        await closeExpired()
        if configuration.responseMode == .json, request.method.uppercased() == "GET" {
            // No standalone event stream in JSON mode (the transport would open one that never ends).
            return .error(
                statusCode: 405,
                .invalidRequest("Method Not Allowed: this server sends no event stream"),
                extraHeaders: [HTTPHeaderName.allow: "POST, DELETE"]
            )
        }
        let sessionID = request.header(HTTPHeaderName.sessionID)

        if let sessionID {
            guard var entry = sessions[sessionID], entry.owner == props else {
                // Unknown, expired, or another identity's session: indistinguishable on purpose.
                return .error(statusCode: 404, .invalidRequest("Not Found: Session not found or expired"))
            }
            entry.lastUsed = configuration.now()
            sessions[sessionID] = entry
            let response = await entry.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                await close(sessionID)
            }
            return response
        }

        if request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) {
            return await open(request, props: props, env: env, logger: logger)
        }
        return .error(statusCode: 400, .invalidRequest("Bad Request: Missing \(HTTPHeaderName.sessionID) header"))
    }

    /// Closes every session.
    func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    private func open(_ request: MCP.HTTPRequest, props: JSONValue?, env: Env, logger: Logger) async -> MCP.HTTPResponse {
        let sessionID = RandomToken.base64URL(byteCount: 32)
        var sessionLogger = logger
        sessionLogger[metadataKey: "mcp-session"] = "\(sessionID.prefix(8))"
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: sessionID),
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: configuration.responseMode == .json ? .jsonOnly : .sseRequired),
                ContentTypeValidator(),
                ProtocolVersionValidator(),
                SessionValidator(),
            ]),
            retryInterval: configuration.retryInterval
        )
        do {
            let session = MCPSession(id: sessionID, props: props, env: env, logger: sessionLogger)
            let server = try await makeServer(session)
            try await server.start(transport: transport)
            sessions[sessionID] = Entry(server: server, transport: transport, owner: props, lastUsed: configuration.now())
            await evictBeyondCaps(keeping: sessionID, owner: props)
            let response = await transport.handleRequest(request)
            if case .error = response { await close(sessionID) }
            return response
        } catch {
            await transport.disconnect()
            sessions[sessionID] = nil
            logger.error("MCP session setup failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
            return .error(statusCode: 500, .internalError("Failed to create session"))
        }
    }

    /// Closes the least recently used sessions beyond the caps: first `owner`'s own beyond
    /// ``MCPHandler/Configuration/maxSessionsPerGrant`` (so one owner makes room among its own sessions instead of
    /// evicting others' through the global cap), then any beyond ``MCPHandler/Configuration/maxSessions``. Every
    /// eviction leaves the dictionary before the first suspension, so concurrent opens cannot overshoot the caps.
    private func evictBeyondCaps(keeping newest: String, owner: JSONValue?) async {
        var evicted: [Entry] = []
        func evictOldest(where matches: (Entry) -> Bool) -> Bool {
            let candidates = sessions.filter { $0.key != newest && matches($0.value) }
            guard let oldest = candidates.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key,
                let entry = sessions.removeValue(forKey: oldest)
            else { return false }
            evicted.append(entry)
            return true
        }
        if let owner {
            while sessions.values.count(where: { $0.owner == owner }) > configuration.maxSessionsPerGrant,
                evictOldest(where: { $0.owner == owner })
            {}
        }
        while sessions.count > configuration.maxSessions, evictOldest(where: { _ in true }) {}
        for entry in evicted {
            await entry.server.stop()
            await entry.transport.disconnect()
        }
    }

    private func close(_ sessionID: String) async {
        guard let entry = sessions.removeValue(forKey: sessionID) else { return }
        await entry.server.stop()
        await entry.transport.disconnect()
    }

    private func closeExpired() async {
        let now = configuration.now()
        let limit = Double(configuration.idleTimeout.components.seconds)
            + Double(configuration.idleTimeout.components.attoseconds) / 1e18
        let expired = sessions.filter { now.timeIntervalSince($0.value.lastUsed) > limit }.map(\.key)
        for id in expired { await close(id) }
    }

    private static func isInitialize(_ body: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return false }
        return object["method"] as? String == "initialize" && object["id"] != nil
    }
}

/// Hands the transport the session id the store chose.
private struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}
