import Foundation
import MCP
import Synchronization
import WorkersRuntime

/// One MCP session while it is open: its server, its owner, and what is in flight in it.
///
/// Every request id is in flight at most once: a second request with the id of one still running is refused at
/// once (a client that reuses ids cannot make two requests share one answer, or leave one waiting forever).
final class MCPLiveSession: Sendable {
    let id: String
    let server: MCPServer
    /// The props of the request that opened the session; every later request must come with the same.
    let owner: JSONValue?

    private struct State {
        var initialized = false
        var inFlight: [JSONRPCID: MCPCancellation] = [:]
        var standalone: MCPEventSink?
        var closed = false
    }

    private let state = Mutex(State())

    init(id: String, server: MCPServer, owner: JSONValue?) {
        self.id = id
        self.server = server
        self.owner = owner
    }

    /// Marks the session initialized; `false` when it was already.
    func markInitialized() -> Bool {
        state.withLock { state in
            guard !state.initialized else { return false }
            state.initialized = true
            return true
        }
    }

    /// Marks request `id` in flight and returns what cancels it; `nil` when a request with that id already is
    /// (or the session is closed).
    func begin(_ id: JSONRPCID) -> MCPCancellation? {
        state.withLock { state in
            guard !state.closed, state.inFlight[id] == nil else { return nil }
            let cancellation = MCPCancellation()
            state.inFlight[id] = cancellation
            return cancellation
        }
    }

    /// Request `id` has finished.
    func end(_ id: JSONRPCID) {
        _ = state.withLock { $0.inFlight.removeValue(forKey: id) }
    }

    /// Cancels request `id` (`notifications/cancelled`), if it is in flight.
    func cancel(_ id: JSONRPCID) {
        state.withLock { $0.inFlight[id] }?.cancel()
    }

    /// Opens the session's standalone event stream; `nil` when one is open already.
    func openStandalone() -> AsyncStream<[UInt8]>? {
        state.withLock { state in
            guard !state.closed, state.standalone == nil else { return nil }
            let (sink, stream) = MCPEventSink.make()
            sink.continuation.onTermination = { [weak self] _ in self?.standaloneEnded() }
            state.standalone = sink
            return stream
        }
    }

    private func standaloneEnded() {
        state.withLock { $0.standalone = nil }
    }

    /// Ends the standalone stream and cancels everything in flight.
    func close() {
        let (cancels, standalone) = state.withLock { state in
            state.closed = true
            defer {
                state.inFlight = [:]
                state.standalone = nil
            }
            return (Array(state.inFlight.values), state.standalone)
        }
        standalone?.finish()
        for cancellation in cancels { cancellation.cancel() }
    }
}
