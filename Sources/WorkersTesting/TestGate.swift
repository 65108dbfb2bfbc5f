import Dispatch
import Synchronization

/// A wait that cancellation does not cut short, opened by the test: what proves that a caller gave up on an
/// operation (a server's reply, a stalled connection) while it was still waiting, with no bound in seconds that a
/// loaded machine could stretch. It opens by itself after `failSafe` (60 s by default), so that a broken bound fails
/// the test instead of hanging it.
public final class TestGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// A closed gate.
    public init(failSafe: Duration = .seconds(60)) {
        let (seconds, attoseconds) = failSafe.components
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) * 1e-18) { [self] in
            _ = open()
        }
    }

    /// Waits until the gate is open.
    public func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }

    /// Whether the gate is open.
    public var isOpen: Bool { state.withLock { $0.open } }

    /// Opens the gate; `false` if it was open already (the fail-safe opened it: the test took a minute).
    @discardableResult
    public func open() -> Bool {
        let (wasOpen, waiters) = state.withLock { state in
            defer { state = (true, []) }
            return (state.open, state.waiters)
        }
        for waiter in waiters { waiter.resume() }
        return !wasOpen
    }
}
