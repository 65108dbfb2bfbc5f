import AsyncAlgorithms
import Foundation
import HTTPTypes
package import Hummingbird
import NIOCore
package import Logging
import WorkersKV
package import WorkersRuntime

/// Converts the Hummingbird engine's requests into a Worker's and a Worker's responses back: the one copy that
/// ``WorkerServer`` and the `WorkersHummingbird` library both use.
///
/// The URL follows the configuration's public origin and forwarded-header trust (``RequestURLResolver``), the body is
/// read up to the configured limit, and the client address follows the same trust rule.
package struct EngineBridge: Sendable {
    /// A request that cannot become a Worker request, and the answer to give instead (400 or 413).
    package struct Refusal: Error {
        package let response: WorkersRuntime.Response
    }

    let urlResolver: RequestURLResolver
    let addressResolver: ClientAddressResolver
    /// The largest body read, in bytes.
    package let maxBodySize: Int

    package init(configuration: WorkerServer.Configuration) {
        urlResolver = RequestURLResolver(configuration: configuration)
        addressResolver = ClientAddressResolver(trustForwardedHeaders: configuration.trustForwardedHeaders)
        maxBodySize = configuration.maxBodySize
    }

    /// The Worker request for `request`, its body read.
    /// - Parameter peer: the connection's remote IP address, if known.
    package func workerRequest(_ request: Hummingbird.Request, peer: String?) async throws(Refusal) -> WorkersRuntime.Request {
        let url = try url(of: request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodySize {
            throw Refusal(response: tooLarge)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodySize)
        } catch is NIOTooManyBytesError {
            throw Refusal(response: tooLarge)
        } catch {
            throw Refusal(response: .text("Bad Request: the body could not be read\n", status: .badRequest))
        }
        return workerRequest(request, url: url, body: body, peer: peer)
    }

    /// The Worker request for `request`'s head, with an empty body: enough to route it or check its credentials
    /// without reading a body that another responder will read.
    package func headRequest(_ request: Hummingbird.Request, peer: String?) throws(Refusal) -> WorkersRuntime.Request {
        workerRequest(request, url: try url(of: request), body: ByteBuffer(), peer: peer)
    }

    private func url(of request: Hummingbird.Request) throws(Refusal) -> URL {
        guard let url = urlResolver.url(for: request.head) else {
            throw Refusal(response: .text("Bad Request: malformed request target or Host header\n", status: .badRequest))
        }
        return url
    }

    private func workerRequest(_ request: Hummingbird.Request, url: URL, body: ByteBuffer, peer: String?) -> WorkersRuntime.Request {
        WorkersRuntime.Request(
            method: request.method,
            url: url,
            headers: request.headers,
            body: body,
            clientAddress: addressResolver.address(peer: peer, headers: request.headers)
        )
    }

    private var tooLarge: WorkersRuntime.Response {
        .text("Payload Too Large: the body exceeds \(maxBodySize) bytes\n", status: .contentTooLarge)
    }

    /// What `handler` answers to `request`, with failures as answers: a KV store that cannot be reached is a 503 with
    /// `Retry-After`, a handler cancelled because its client left a 503, anything else an opaque 500 that is logged.
    package static func run(
        _ handler: any FetchHandling, _ request: WorkersRuntime.Request, env: Env, ctx: ExecutionContext, logger: Logger
    ) async -> WorkersRuntime.Response {
        do {
            var response = try await handler.fetch(request, env: env, ctx: ctx)
            response.headers[.contentLength] = nil
            return response
        } catch let error as KVUnavailableError {
            // A store that cannot be reached (a database restarting) is worth a retry, not a 500.
            logger.warning("Storage unavailable", metadata: ["error": "\(error.message.escapedForLog)", "path": "\(request.path.escapedForLog)"])
            var headers = HTTPFields()
            headers[.retryAfter] = "1"
            return .text("Service Unavailable: storage is unavailable, retry shortly\n", status: .serviceUnavailable, headers: headers)
        } catch is CancellationError where Task.isCancelled {
            // The client left (``ConnectionWatch``) or the drain bound passed: nobody will read an answer.
            logger.debug("Handler cancelled", metadata: ["path": "\(request.path.escapedForLog)"])
            return .text("Request cancelled\n", status: .serviceUnavailable)
        } catch {
            logger.error(
                "Handler threw",
                metadata: ["error": "\(String(reflecting: error).escapedForLog)", "path": "\(request.path.escapedForLog)"]
            )
            return .text("Internal Server Error\n", status: .internalServerError)
        }
    }

    /// Converts a Worker response into the engine's, bridging streaming bodies with back-pressure.
    package static func engineResponse(_ response: WorkersRuntime.Response) -> Hummingbird.Response {
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
