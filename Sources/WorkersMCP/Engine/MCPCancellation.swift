import Synchronization

/// Cancels one in-flight request's handler task, whether the cancellation comes before the task is attached or
/// after.
final class MCPCancellation: Sendable {
    private enum State {
        case pending
        case running(@Sendable () -> Void)
        case cancelled
    }

    private let state = Mutex(State.pending)

    /// Attaches the handler task's `cancel`; calls it at once if the request was cancelled already.
    func attach(_ cancel: @escaping @Sendable () -> Void) {
        let cancelled = state.withLock { state in
            if case .cancelled = state { return true }
            state = .running(cancel)
            return false
        }
        if cancelled { cancel() }
    }

    /// Cancels the request.
    func cancel() {
        let running = state.withLock { state -> (@Sendable () -> Void)? in
            defer { state = .cancelled }
            if case .running(let cancel) = state { return cancel }
            return nil
        }
        running?()
    }
}
