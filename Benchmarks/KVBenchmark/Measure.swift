import Foundation

/// Runs `body(i)` for i = 0, 1, ... until `count` calls or `seconds` elapsed, and returns calls per second.
func measure(count: Int, seconds: Double, _ body: (Int) throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var done = 0
    while done < count {
        try body(done)
        done += 1
        if done & 15 == 0, (clock.now - start).seconds > seconds { break }
    }
    return Double(done) / (clock.now - start).seconds
}

/// `measure` for async operations. Call it from a nonisolated context so each `await` on a nonisolated method
/// does not hop between executors.
func measure(count: Int, seconds: Double, _ body: (Int) async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var done = 0
    while done < count {
        try await body(done)
        done += 1
        if done & 15 == 0, (clock.now - start).seconds > seconds { break }
    }
    return Double(done) / (clock.now - start).seconds
}

/// Calls per second of `tasks` concurrent loops, each calling `body` `count / tasks` times.
func measureConcurrently(
    tasks: Int,
    count: Int,
    _ body: @escaping @Sendable (Int) async throws -> Void
) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<tasks {
            group.addTask {
                for index in stride(from: task, to: count, by: tasks) { try await body(index) }
            }
        }
        try await group.waitForAll()
    }
    return Double(count) / (clock.now - start).seconds
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A reproducible sequence of indices in `0..<bound`.
struct RandomIndices {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed | 1
    }

    mutating func next(below bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }
}
