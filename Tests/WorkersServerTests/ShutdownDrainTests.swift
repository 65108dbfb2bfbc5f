import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing
import WorkersRuntime
import WorkersServer
import WorkersTesting

/// A graceful shutdown waits for open requests at most `drainTimeout`, then cancels them and returns.
@Suite("WorkerServer shutdown drain")
struct ShutdownDrainTests {
    @Test("a request that never finishes is cancelled at the drain bound, and the server stops")
    func boundedDrain() async throws {
        let started = TestGate()
        let cancelled = Mutex(false)
        let worker = Worker { _, _, _ in
            started.open()
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                cancelled.withLock { $0 = true }
                throw error
            }
            return .text("finished")
        }
        let logs = LogRecorder()
        let server = try await LiveServer.start(
            worker: worker, configuration: .init(drainTimeout: .milliseconds(300), logRequests: false),
            logger: logs.logger(level: .info))
        let request = Task { try? await TestClient().send(.get, server.url("/forever")) }
        await started.wait()
        let stopped = await server.stop(within: .seconds(30))
        #expect(stopped)
        #expect(cancelled.withLock { $0 })
        _ = await request.value
        // A cancelled handler is not a failing one: no error line for it.
        #expect(!logs.entries.contains { $0.message == "Handler threw" }, "\(logs.entries)")
    }

    @Test("requests that finish within the bound are answered before the server stops")
    func drainWaitsForShortRequests() async throws {
        let started = TestGate()
        let release = TestGate()
        let worker = Worker { _, _, _ in
            started.open()
            await release.wait()
            return .text("finished")
        }
        let server = try await LiveServer.start(
            worker: worker, configuration: .init(drainTimeout: .seconds(30), logRequests: false))
        let request = Task { try await TestClient().send(.get, server.url("/short")) }
        await started.wait()
        let stopping = Task { await server.stop(within: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))
        release.open()
        let response = try await request.value
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(await stopping.value)
    }
}
