import Synchronization

/// Runs operations on tasks of their own and stops waiting for each one after its timeout, so that a caller never
/// waits longer than that, whatever the operation is blocked on (a lease from a pool that cannot connect, a query
/// on a connection to a server that stopped answering: neither is cancellable in postgres-nio; a response body a
/// server dribbles out).
///
/// One watchdog task per instance checks the deadlines every ``tick``, so an operation costs a dictionary entry
/// rather than a timer of its own; the watchdog runs only while operations are pending.
package final class OperationDeadlines: Sendable {
    /// The caller stopped waiting: the operation had not finished after its timeout.
    package struct TimedOut: Error {}

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private struct State {
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]
        var watching = false
    }

    private let state = Mutex(State())
    /// How often the watchdog looks: a caller waits at most its timeout plus this.
    package let tick: Duration

    package init(tick: Duration) {
        self.tick = tick
    }

    /// Runs `body` on a new task and returns its result, or throws ``TimedOut`` once `timeout` has passed, or
    /// `CancellationError` when the caller is cancelled. In both cases `body`'s task is cancelled and left to end
    /// on its own.
    package func run<Value: Sendable>(
        timeout: Duration,
        _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let pending = PendingOperation<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard pending.start(continuation) else { return }
                let id = register(after: timeout) { pending.finish(.failure(TimedOut()), cancellingWork: true) }
                pending.attach(Task {
                    let result: Result<Value, any Error>
                    do {
                        result = .success(try await body())
                    } catch {
                        result = .failure(error)
                    }
                    self.unregister(id)
                    pending.finish(result, cancellingWork: false)
                })
            }
        } onCancel: {
            pending.finish(.failure(CancellationError()), cancellingWork: true)
        }
    }

    private func register(after timeout: Duration, expire: @escaping @Sendable () -> Void) -> UInt64 {
        let deadline = ContinuousClock.now + timeout
        let (id, startWatching) = state.withLock { state in
            let id = state.nextID
            state.nextID &+= 1
            state.entries[id] = Entry(deadline: deadline, expire: expire)
            defer { state.watching = true }
            return (id, !state.watching)
        }
        if startWatching {
            Task.detached { await self.watch() }
        }
        return id
    }

    private func unregister(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    private func watch() async {
        while true {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            let (expired, more) = state.withLock { state in
                let due = state.entries.filter { $0.value.deadline <= now }
                for id in due.keys { state.entries.removeValue(forKey: id) }
                if state.entries.isEmpty { state.watching = false }
                return (due.values.map(\.expire), state.watching)
            }
            for expire in expired { expire() }
            if !more { return }
        }
    }
}

/// The caller's side of one bounded operation: resumed exactly once, by the operation, its timeout or the
/// caller's cancellation, whichever comes first.
private final class PendingOperation<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var early: Result<Value, any Error>?
        var work: Task<Void, Never>?
        var done = false
    }

    private let state = Mutex(State())

    /// Installs the continuation; `false` (after resuming it) when the caller was cancelled before.
    func start(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
        let early: Result<Value, any Error>? = state.withLock { state in
            if let early = state.early {
                state.done = true
                return early
            }
            state.continuation = continuation
            return nil
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    func attach(_ work: Task<Void, Never>) {
        let finished = state.withLock { state in
            if !state.done { state.work = work }
            return state.done
        }
        if finished { work.cancel() }
    }

    func finish(_ result: Result<Value, any Error>, cancellingWork: Bool) {
        let (continuation, work) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, Task<Void, Never>?) in
            guard !state.done else { return (nil, nil) }
            guard let continuation = state.continuation else {
                if state.early == nil { state.early = result }
                return (nil, nil)
            }
            state.done = true
            state.continuation = nil
            defer { state.work = nil }
            return (continuation, state.work)
        }
        continuation?.resume(with: result)
        if cancellingWork { work?.cancel() }
    }
}
