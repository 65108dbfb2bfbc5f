import Logging
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

    /// Sweeps `namespace` every `interval` while it exists (it is held weakly), logging failures with `location`.
    convenience init<Namespace: KVExpirySweeping & AnyObject>(
        sweeping namespace: Namespace,
        every interval: Duration,
        location: String
    ) {
        let logger = Logger(label: "WorkersKV.\(Namespace.self)")
        self.init(interval: interval) { [weak namespace] in
            guard let namespace else { return false }
            do {
                try await namespace.sweepExpired()
            } catch {
                logger.warning("KV sweep failed", metadata: ["location": "\(location)", "error": "\(error)"])
            }
            return true
        }
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
