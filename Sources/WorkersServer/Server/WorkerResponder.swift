import AsyncAlgorithms
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
    let urlResolver: RequestURLResolver
    let addressResolver: ClientAddressResolver
    let backgroundTasks: BackgroundTasks
    let logger: Logger

    init(worker: Worker, env: Env, configuration: WorkerServer.Configuration, backgroundTasks: BackgroundTasks, logger: Logger) {
        self.worker = worker
        self.env = env
        self.configuration = configuration
        self.urlResolver = RequestURLResolver(configuration: configuration)
        self.addressResolver = ClientAddressResolver(trustForwardedHeaders: configuration.trustForwardedHeaders)
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
        // A request that succeeded is a debug line; one that failed (4xx, 5xx) an info line. Nothing is formatted
        // for a line the logger would drop, so a busy server does not pay for lines nobody reads.
        if configuration.metricsListen != nil {
            ServerMetrics.request(route: response.metricsRoute, status: response.status.code, duration: ContinuousClock.now - start)
        }
        let level: Logger.Level = response.status.code >= 400 ? .info : .debug
        if configuration.logRequests, logger.logLevel <= level {
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            let line = "\(request.method) \(request.uri.path) \(response.status.code)".escapedForLog
            logger.log(level: level, "\(line) \(String(format: "%.1f", milliseconds))ms")
        }
        return Self.engineResponse(response)
    }

    private func dispatch(_ request: Hummingbird.Request, peer: String?, logger: Logger) async -> WorkersRuntime.Response {
        guard let url = urlResolver.url(for: request.head) else {
            return .text("Bad Request: malformed request target or Host header\n", status: .badRequest)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodySize {
            return Self.tooLarge(limit: configuration.maxBodySize)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxBodySize)
        } catch is NIOTooManyBytesError {
            return Self.tooLarge(limit: configuration.maxBodySize)
        } catch {
            return .text("Bad Request: the body could not be read\n", status: .badRequest)
        }
        let workerRequest = WorkersRuntime.Request(
            method: request.method,
            url: url,
            headers: request.headers,
            body: body,
            clientAddress: addressResolver.address(peer: peer, headers: request.headers)
        )
        let ctx = ExecutionContext(logger: logger, backgroundTasks: backgroundTasks)
        do {
            if configuration.testScheduled, workerRequest.path == "/__scheduled" || workerRequest.path == "/cdn-cgi/handler/scheduled" {
                return try await runScheduled(workerRequest, ctx: ctx)
            }
            var response = try await worker.fetch(workerRequest, env: env, ctx: ctx)
            response.headers[.contentLength] = nil
            return response
        } catch let error as KVUnavailableError {
            // A store that cannot be reached (a database restarting) is worth a retry, not a 500.
            logger.warning("Storage unavailable", metadata: ["error": "\(error.message.escapedForLog)", "path": "\(workerRequest.path.escapedForLog)"])
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            return .text("Service Unavailable: storage is unavailable, retry shortly\n", status: .serviceUnavailable, headers: headers)
        } catch is CancellationError where Task.isCancelled {
            // The client left (``ConnectionWatch``) or the drain bound passed: nobody will read an answer.
            logger.debug("Handler cancelled", metadata: ["path": "\(workerRequest.path.escapedForLog)"])
            return .text("Request cancelled\n", status: .serviceUnavailable)
        } catch {
            logger.error(
                "Handler threw",
                metadata: [
                    "error": "\(String(reflecting: error).escapedForLog)", "path": "\(workerRequest.path.escapedForLog)",
                ]
            )
            return .text("Internal Server Error\n", status: .internalServerError)
        }
    }

    private func runScheduled(_ request: WorkersRuntime.Request, ctx: ExecutionContext) async throws -> WorkersRuntime.Response {
        let cron = request.query("cron") ?? "* * * * *"
        try await worker.scheduled(ScheduledController(cron: cron, scheduledTime: Date()), env: env, ctx: ctx)
        return .text("Ran scheduled event\n")
    }

    private static func tooLarge(limit: Int) -> WorkersRuntime.Response {
        .text("Payload Too Large: the body exceeds \(limit) bytes\n", status: .contentTooLarge)
    }

    /// Converts a Worker response into the engine's, bridging streaming bodies with back-pressure.
    static func engineResponse(_ response: WorkersRuntime.Response) -> Hummingbird.Response {
        if let buffer = response.body.buffer {
            return Hummingbird.Response(status: response.status, headers: response.headers, body: .init(byteBuffer: buffer))
        }
        let body = response.body
        return Hummingbird.Response(
            status: response.status,
            headers: response.headers,
            body: Hummingbird.ResponseBody { writer in
                let channel = AsyncThrowingChannel<ByteBuffer, any Error>()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            try await body.write { chunk in
                                try Task.checkCancellation()
                                await channel.send(chunk)
                            }
                            channel.finish()
                        } catch {
                            channel.fail(error)
                        }
                    }
                    for try await chunk in channel {
                        try await writer.write(chunk)
                    }
                    try await group.waitForAll()
                }
                try await writer.finish(nil)
            }
        )
    }
}
