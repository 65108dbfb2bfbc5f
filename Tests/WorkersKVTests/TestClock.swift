import Foundation
import Synchronization

/// A clock the tests move by hand, so expiry is tested without sleeping.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = Mutex(start)
    }

    /// The current time, as a `now` closure for a namespace.
    var now: @Sendable () -> Date {
        { [self] in current.withLock { $0 } }
    }

    /// Whole seconds since the epoch.
    var seconds: Int {
        Int(current.withLock { $0 }.timeIntervalSince1970)
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
