public import Foundation
import Synchronization

/// A clock a test moves by hand, so expiry is tested without sleeping: pass ``nowFunction`` wherever an API takes
/// a `now` closure (KV namespaces, the OAuth provider's options, the access guard).
///
/// ```swift
/// let clock = TestClock()
/// let kv = MemoryKV(now: clock.nowFunction)
/// clock.advance(by: 3_600)
/// ```
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    /// A clock at `start` (2027-01-15 by default).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    /// The current time.
    public var now: Date { current.withLock { $0 } }

    /// Whole seconds since the epoch.
    public var seconds: Int { Int(now.timeIntervalSince1970) }

    /// The clock as a `now` closure.
    public var nowFunction: @Sendable () -> Date { { [self] in now } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
