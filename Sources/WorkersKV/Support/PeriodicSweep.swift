import Synchronization

/// Runs a namespace's `sweepExpired()` every `interval` until stopped.
final class PeriodicSweep: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts sweeping. `sweep` is called with no lock held; it should capture its namespace weakly and return
    /// `false` once the namespace is gone, which ends the loop.
    init(interval: Duration, sweep: @escaping @Sendable () async -> Bool) {
        let loop = Task.detached(priority: .background) {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                if await !sweep() { return }
            }
        }
        task.withLock { $0 = loop }
    }

    /// Stops the loop; a sweep in progress finishes.
    func stop() {
        task.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    deinit {
        stop()
    }
}
