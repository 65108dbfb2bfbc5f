import Foundation
import HTTPTypes
import Logging
import Synchronization
import NIOHTTP1
import Testing
import WorkersRuntime
import WorkersTesting

@testable import WorkersServer

@Suite("Scheduled handlers")
struct CronSchedulerTests {
    static func utc(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    func scheduler(_ crons: [String]) throws -> CronScheduler {
        try CronScheduler(
            crons: crons,
            worker: Worker(fetch: { _, _, _ in Response() }, scheduled: { _, _, _ in }),
            env: Env(),
            backgroundTasks: BackgroundTasks(),
            logger: Logger(label: "test")
        )
    }

    @Test("picks the earliest next minute across crons, with every cron due then")
    func nextFiring() throws {
        let scheduler = try scheduler(["*/15 * * * *", "0 * * * *", "30 9 * * MON"])
        let (time, due) = try #require(scheduler.nextFiring(after: Self.utc("2026-11-30T08:50:10Z")))
        #expect(time == Self.utc("2026-11-30T09:00:00Z"))
        #expect(due.map(\.source).sorted() == ["*/15 * * * *", "0 * * * *"])
        let (later, lateDue) = try #require(scheduler.nextFiring(after: Self.utc("2026-11-30T09:29:00Z")))
        #expect(later == Self.utc("2026-11-30T09:30:00Z"))
        #expect(Set(lateDue.map(\.source)) == ["*/15 * * * *", "30 9 * * MON"])
    }

    @Test("GET /__scheduled runs the scheduled handler with the given cron when --test-scheduled is on")
    func testScheduledEndpoint() async throws {
        let seen = Mutex<[String]>([])
        let worker = Worker(
            fetch: { _, _, _ in Response.text("fetch") },
            scheduled: { controller, _, _ in seen.withLock { $0.append(controller.cron) } }
        )
        let enabled = try await LiveServer.start(worker: worker, configuration: .init(testScheduled: true, logRequests: false))
        let ran = try await TestClient().send(.get, enabled.url("/__scheduled?cron=*/5+*+*+*+*"))
        try await enabled.stop()
        #expect(ran.status == 200)
        #expect(seen.withLock { $0 } == ["*/5 * * * *"])

        let disabled = try await LiveServer.start(worker: worker)
        let plain = try await TestClient().send(.get, disabled.url("/__scheduled?cron=*+*+*+*+*"))
        try await disabled.stop()
        #expect(plain.text == "fetch")
        #expect(seen.withLock { $0 }.count == 1)
    }

    @Test("an invalid cron in the configuration stops the server from starting")
    func invalidCron() async throws {
        await #expect(throws: (any Error).self) {
            _ = try await LiveServer.start(
                worker: Worker(fetch: { _, _, _ in Response() }),
                configuration: .init(crons: ["61 * * * *"], logRequests: false)
            )
        }
    }
}
