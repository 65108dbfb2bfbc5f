/// A Worker: a fetch handler and an optional scheduled handler, like `export default { fetch, scheduled }`.
///
/// ```swift
/// let worker = Worker(
///     fetch: { request, env, ctx in Response.text("hello") },
///     scheduled: { controller, env, ctx in ctx.logger.info("cron \(controller.cron)") }
/// )
/// try await WorkerCommand.main(worker)
/// ```
public struct Worker: FetchHandling {
    /// Answers HTTP requests.
    public var fetchHandler: any FetchHandling
    /// Runs on `[triggers] crons`, when present.
    public var scheduledHandler: (any ScheduledHandling)?

    /// Creates a worker from handler values.
    public init(fetch: some FetchHandling, scheduled: (any ScheduledHandling)? = nil) {
        fetchHandler = fetch
        scheduledHandler = scheduled
    }

    /// Creates a worker from closures.
    public init(
        fetch: @escaping @Sendable (Request, Env, ExecutionContext) async throws -> Response,
        scheduled: (@Sendable (ScheduledController, Env, ExecutionContext) async throws -> Void)? = nil
    ) {
        fetchHandler = FetchHandler(fetch)
        scheduledHandler = scheduled.map(ScheduledHandler.init)
    }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        try await fetchHandler.fetch(request, env: env, ctx: ctx)
    }

    /// Runs the scheduled handler.
    /// - Throws: ``WorkerError/noScheduledHandler`` when the worker has none.
    public func scheduled(_ controller: ScheduledController, env: Env, ctx: ExecutionContext) async throws {
        guard let scheduledHandler else { throw WorkerError.noScheduledHandler }
        try await scheduledHandler.scheduled(controller, env: env, ctx: ctx)
    }
}

/// Errors from running a ``Worker``.
public enum WorkerError: Error, Sendable {
    /// A cron fired but the worker has no scheduled handler.
    case noScheduledHandler
}
