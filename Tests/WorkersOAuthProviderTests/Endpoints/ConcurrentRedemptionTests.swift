import Foundation
import Testing
import WorkersKV
import WorkersOAuthProvider
import WorkersRuntime
import WorkersTesting

@Suite("Concurrent redemption")
struct ConcurrentRedemptionTests {
    @Test("an authorization code redeemed by many requests at once yields tokens exactly once", arguments: [false, true])
    func codeIsSingleUseUnderConcurrency(sqlite: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let kv: any KVNamespace = sqlite ? try SQLiteKV(path: directory.appendingPathComponent("kv.sqlite"), now: clock.nowFunction) : MemoryKV(now: clock.nowFunction)
        let harness = try ProviderHarness(clock: clock, kv: kv)
        let registered = try await harness.register()
        for _ in 0..<5 {
            let code = try await harness.authorize(registered)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await harness.exchange(registered, code: code).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "statuses: \(statuses)")
            #expect(statuses.filter { $0 == 400 }.count == 11)
        }
    }
}
