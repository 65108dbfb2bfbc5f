import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WorkersKV
import WorkersRuntime

/// Adapts the Hummingbird engine to a Worker: converts the request, dispatches, converts the response.
///
/// The engine's types stop here; handlers only ever see ``WorkersRuntime/Request`` and ``WorkersRuntime/Response``.
/// Request values that reach a log line (method, path, error descriptions) are escaped with `escapedForLog`.
struct WorkerResponder: HTTPResponder {
    typealias Context = WorkerRequestContext

    let worker: Worker
    let env: Env
    let configuration: WorkerServer.Configuration
    let bridge: EngineBridge
    let backgroundTasks: BackgroundTasks
    let logger: Logger

    init(worker: Worker, env: Env, configuration: WorkerServer.Configuration, backgroundTasks: BackgroundTasks, logger: Logger) {
        self.worker = worker
        self.env = env
        self.configuration = configuration
        self.bridge = EngineBridge(configuration: configuration)
        self.backgroundTasks = backgroundTasks
        self.logger = logger
    }

    func respond(to request: Hummingbird.Request, context: WorkerRequestContext) async throws -> Hummingbird.Response {
        let start = ContinuousClock.now
        // A client that leaves before the answer cancels the handler's task (with the request-head deadline on,
        // whose handler sees the connection's input end).
        let response: WorkersRuntime.Response
        if let watch = context.watch {
            response = await watch.handling { await dispatch(request, peer: context.remoteAddress?.ipAddress, logger: context.logger) }
        } else {
            response = await dispatch(request, peer: context.remoteAddress?.ipAddress, logger: context.logger)
        }
        if configuration.metricsListen != nil {
            ServerMetrics.request(route: response.metricsRoute, status: response.status.code, duration: ContinuousClock.now - start)
        }
        // A request that succeeded is a debug line; one that failed (4xx, 5xx) an info line. Nothing is formatted
        // for a line the logger would drop, so a busy server does not pay for lines nobody reads.
        let level: Logger.Level = response.status.code >= 400 ? .info : .debug
        if configuration.logRequests, logger.logLevel <= level {
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            let line = "\(request.method) \(request.uri.path) \(response.status.code)".escapedForLog
            logger.log(level: level, "\(line) \(String(format: "%.1f", milliseconds))ms")
        }
        return EngineBridge.engineResponse(response)
    }

    private func dispatch(_ request: Hummingbird.Request, peer: String?, logger: Logger) async -> WorkersRuntime.Response {
        let workerRequest: WorkersRuntime.Request
        do {
            workerRequest = try await bridge.workerRequest(request, peer: peer)
        } catch {
            return error.response
        }
        let ctx = ExecutionContext(logger: logger, backgroundTasks: backgroundTasks)
        if configuration.testScheduled, workerRequest.path == "/__scheduled" || workerRequest.path == "/cdn-cgi/handler/scheduled" {
            let scheduled = FetchHandler { request, _, ctx in try await runScheduled(request, ctx: ctx) }
            return await EngineBridge.run(scheduled, workerRequest, env: env, ctx: ctx, logger: logger)
        }
        return await EngineBridge.run(worker, workerRequest, env: env, ctx: ctx, logger: logger)
    }

    private func runScheduled(_ request: WorkersRuntime.Request, ctx: ExecutionContext) async throws -> WorkersRuntime.Response {
        let cron = request.query("cron") ?? "* * * * *"
        try await worker.scheduled(ScheduledController(cron: cron, scheduledTime: Date()), env: env, ctx: ctx)
        return .text("Ran scheduled event\n")
    }
}
