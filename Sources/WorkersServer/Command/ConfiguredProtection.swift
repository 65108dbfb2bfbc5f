import Foundation
import Logging
import WorkersRuntime

/// Applies the `[swift_workers.*]` protection tables to a worker: zero-code protection.
///
/// `[swift_workers.bearer_token]` is built in; other tables need their ``WorkersRuntime/ConfiguredGuard`` passed
/// to `WorkerCommand.main(protections:)` (`.access` from WorkersAccess). With several configured, the last factory's
/// guard runs first (the proxy assertion, then the bearer token); the props the innermost guard admits with reach
/// the worker in `ctx.props`.
enum ConfiguredProtection {
    /// `worker` wrapped in the configured guards (unchanged when none is configured).
    /// - Throws: ``CommandError`` for a configured table without its factory, or a factory's refusal.
    static func apply(
        _ protection: WorkerConfig.Protection, to worker: Worker, env: Env, logger: Logger, guards: [ConfiguredGuard] = []
    ) throws -> Worker {
        if protection.access != nil, !guards.contains(where: { $0.table == "access" }) {
            throw CommandError(
                "[swift_workers.access] is configured, but this worker was built without it: `import WorkersAccess` and pass `protections: [.access]` to WorkerCommand.main"
            )
        }
        var fetch: any FetchHandling = worker.fetchHandler
        for factory in [ConfiguredGuard.bearerToken] + guards.filter({ $0.table != "bearer_token" }) {
            do {
                if let requestGuard = try factory.makeGuard(protection, env: env, logger: logger) {
                    fetch = GuardedHandler(guard: requestGuard, handler: fetch)
                }
            } catch let error as ConfiguredGuardError {
                throw CommandError(error.description)
            }
        }
        return Worker(fetch: fetch, scheduled: worker.scheduledHandler)
    }
}
