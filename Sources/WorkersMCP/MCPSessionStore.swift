import Foundation
import Logging
import WorkersRuntime

/// The open sessions of one ``MCPHandler``.
///
/// Two caps bound them: ``MCPHandler/Configuration/maxSessionsPerGrant`` per owner (who opened a
/// session: the token's user, client and resource, else the props) and ``MCPHandler/Configuration/maxSessions`` in all; each evicts the least recently used session. Idle
/// sessions expire after ``MCPHandler/Configuration/idleTimeout``.
actor MCPSessionStore {
    private struct Entry {
        let session: MCPLiveSession
        var lastUsed: Date
    }

    private let configuration: MCPHandler.Configuration
    private let makeServer: MCPHandler.MakeServer
    private var sessions: [String: Entry] = [:]
    private var lastSweep = Date.distantPast

    init(configuration: MCPHandler.Configuration, makeServer: @escaping MCPHandler.MakeServer) {
        self.configuration = configuration
        self.makeServer = makeServer
    }

    var count: Int { sessions.count }

    /// Session `id` if it is open, unexpired, and owned by `owner` (anything else is "not found", on purpose
    /// indistinguishable); marks it used.
    func session(_ id: String, owner: JSONValue?) -> MCPLiveSession? {
        let now = configuration.now()
        if now.timeIntervalSince(lastSweep) >= 1 { closeExpired(now: now) }
        guard var entry = sessions[id], entry.session.owner == owner else { return nil }
        guard !isExpired(entry, now: now) else {
            close(id)
            return nil
        }
        entry.lastUsed = now
        sessions[id] = entry
        return entry.session
    }

    /// Opens a session of `owner`, making its server with `props`, and applies the caps.
    func open(props: JSONValue?, owner: JSONValue?, env: Env, logger: Logger) async throws -> MCPLiveSession {
        closeExpired(now: configuration.now())
        let id = RandomToken.base64URL(byteCount: 32)
        var sessionLogger = logger
        sessionLogger[metadataKey: "mcp-session"] = "\(id.prefix(8))"
        let server = try await makeServer(MCPSession(id: id, props: props, env: env, logger: sessionLogger))
        let session = MCPLiveSession(id: id, server: server, owner: owner)
        sessions[id] = Entry(session: session, lastUsed: configuration.now())
        evictBeyondCaps(keeping: id, owner: owner)
        return session
    }

    /// Closes session `id`.
    func close(_ id: String) {
        sessions.removeValue(forKey: id)?.session.close()
    }

    /// Closes every session.
    func closeAll() {
        for id in Array(sessions.keys) { close(id) }
    }

    /// Closes the least recently used sessions beyond the caps: first `owner`'s own beyond
    /// ``MCPHandler/Configuration/maxSessionsPerGrant`` (so one owner makes room among its own sessions instead of
    /// evicting others' through the global cap), then any beyond ``MCPHandler/Configuration/maxSessions``.
    private func evictBeyondCaps(keeping newest: String, owner: JSONValue?) {
        func evictOldest(where matches: (Entry) -> Bool) -> Bool {
            let candidates = sessions.filter { $0.key != newest && matches($0.value) }
            guard let oldest = candidates.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key else { return false }
            close(oldest)
            return true
        }
        if let owner {
            while sessions.values.count(where: { $0.session.owner == owner }) > configuration.maxSessionsPerGrant,
                evictOldest(where: { $0.session.owner == owner })
            {}
        }
        while sessions.count > configuration.maxSessions, evictOldest(where: { _ in true }) {}
    }

    private func isExpired(_ entry: Entry, now: Date) -> Bool {
        let limit = Double(configuration.idleTimeout.components.seconds)
            + Double(configuration.idleTimeout.components.attoseconds) / 1e18
        return now.timeIntervalSince(entry.lastUsed) > limit
    }

    private func closeExpired(now: Date) {
        lastSweep = now
        for (id, entry) in sessions where isExpired(entry, now: now) { close(id) }
    }
}
