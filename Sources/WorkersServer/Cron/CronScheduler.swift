import Foundation
import Logging
import ServiceLifecycle
import WorkersRuntime

/// Fires the scheduled handler on `[triggers] crons` (UTC), as a service in the server's group.
///
/// Each invocation runs with its own context; its `waitUntil` work joins the server's set, so shutdown waits for it.
/// A failing invocation is logged and does not stop the schedule. With ``claims``, an invocation runs only on the
/// instance that claims it first in the shared store (``CronClaims``), so several instances run each scheduled
/// time once.
struct CronScheduler: Service {
    let crons: [CronExpression]
    let claims: CronClaims?
    let worker: Worker
    let env: Env
    let backgroundTasks: BackgroundTasks
    let logger: Logger
    let now: @Sendable () -> Date

    init(
        crons: [String],
        worker: Worker,
        env: Env,
        backgroundTasks: BackgroundTasks,
        logger: Logger,
        claims: CronClaims? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) throws {
        self.crons = try crons.map(CronExpression.init)
        self.claims = claims
        self.worker = worker
        self.env = env
        self.backgroundTasks = backgroundTasks
        self.logger = logger
        self.now = now
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let current = now()
                guard let (fireTime, due) = nextFiring(after: current) else { return }
                try await Task.sleep(for: .seconds(max(0, fireTime.timeIntervalSince(current))))
                for cron in due {
                    fire(cron, at: fireTime)
                }
            }
        }
    }

    /// The next minute at which any cron fires after `date`, and every cron due then (several may share a minute).
    func nextFiring(after date: Date) -> (Date, [CronExpression])? {
        let upcoming = crons.compactMap { cron in cron.next(after: date).map { (cron, $0) } }
        guard let first = upcoming.map(\.1).min() else { return nil }
        return (first, upcoming.filter { $0.1 == first }.map(\.0))
    }

    private func fire(_ cron: CronExpression, at time: Date) {
        let ctx = ExecutionContext(logger: logger, backgroundTasks: backgroundTasks)
        let controller = ScheduledController(cron: cron.source, scheduledTime: time)
        backgroundTasks.add { [worker, env, logger, claims] in
            if let claims, await !claims.claim(cron: cron.source, scheduledTime: time, logger: logger) { return }
            logger.info("Cron \"\(cron.source)\" fired")
            try await worker.scheduled(controller, env: env, ctx: ctx)
        }
    }
}
