import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import WorkersRuntime

/// The scrape listener of ``WorkerServer/Configuration/metricsListen``: `GET /metrics` answers the registry in the
/// Prometheus text exposition format; any other path is 404. An application of its own, in the server's service
/// group, so it stops with the server and never shares the worker's port, guards or connection limit.
enum MetricsEndpoint {
    /// The content type of the text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func application(listen: ListenAddress, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Hummingbird.Response in
            var headers = HTTPFields()
            headers[.contentType] = contentType
            headers[.cacheControl] = "no-store"
            let body = ServerMetrics.registry.emitToBuffer()
            return Hummingbird.Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        var engineLogger = logger
        engineLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                let address = ListenAddress(host: listen.host, port: port)
                // No `http://` here: tests find the worker's port as the first `http://127.0.0.1:PORT` a server prints.
                logger.notice("Serving metrics at \(address), GET /metrics")
            },
            logger: engineLogger
        )
    }
}
