public import Logging
import Synchronization

/// The work handed to `ctx.waitUntil`, tracked so that shutdown can wait for it.
///
/// Every piece runs in its own task; one failing (its error is logged) never cancels the others, like
/// `Promise.allSettled`. The server drains the set before it exits.
public final class BackgroundTasks: Sendable {
    private struct State {
        var nextID = 0
        var running: [Int: Task<Void, Never>] = [:]
        var failures = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    /// Creates an empty set.
    public init(logger: Logger = Logger(label: "workers.waitUntil")) {
        self.logger = logger
    }

    /// Starts `work` now and tracks it until it ends.
    public func add(_ work: @escaping @Sendable () async throws -> Void) {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.running[id] = Task { [logger] in
                do {
                    try await work()
                } catch {
                    logger.error("waitUntil work failed", metadata: ["error": "\(String(describing: error).escapedForLog)"])
                    self.state.withLock { $0.failures += 1 }
                }
                self.state.withLock { _ = $0.running.removeValue(forKey: id) }
            }
        }
    }

    /// How many pieces are still running.
    public var pendingCount: Int { state.withLock { $0.running.count } }

    /// How many pieces have failed so far.
    public var failureCount: Int { state.withLock { $0.failures } }

    /// Waits until every piece started so far (and any they start) has ended.
    public func drain() async {
        while true {
            let tasks = state.withLock { Array($0.running.values) }
            if tasks.isEmpty { return }
            for task in tasks { await task.value }
        }
    }
}
