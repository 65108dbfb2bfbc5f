import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals
import WorkersKV
public import WorkersRuntime

/// Serves a ``WorkersRuntime/Worker`` over HTTP/1.1 (or HTTPS), runs its crons, and shuts down gracefully.
///
/// On SIGINT/SIGTERM (or ``run(gracefulShutdownSignals:onListening:)``'s task ending a graceful shutdown) the server
/// stops accepting connections, lets in-flight requests finish for at most ``Configuration/drainTimeout`` (then
/// cancels them and closes their connections), then waits for every `ctx.waitUntil` piece.
///
/// ```swift
/// let server = WorkerServer(worker: worker, env: env, configuration: .init(port: 8787))
/// try await server.run()
/// ```
public struct WorkerServer: Sendable {
    /// The worker being served.
    public let worker: Worker
    /// The environment handed to every invocation.
    public let env: Env
    /// Listening and trust settings.
    public let configuration: Configuration
    /// Where `waitUntil` work is tracked (drained at shutdown).
    public let backgroundTasks: BackgroundTasks
    /// The server's logger.
    public let logger: Logger
    private let shutdown = ShutdownSwitch()

    /// Creates a server.
    /// With ``Configuration/metricsListen`` set, `env`'s KV namespaces are timed (``TimedKVNamespace``).
    public init(worker: Worker, env: Env, configuration: Configuration = Configuration(), logger: Logger? = nil) {
        self.worker = worker
        var env = env
        if configuration.metricsListen != nil {
            _ = ServerMetrics.registry  // bootstraps swift-metrics before the timers below are made
            env.bindings = env.bindings.mapValues(TimedKVNamespace.wrapping)
        }
        self.env = env
        self.configuration = configuration
        let logger = logger ?? Logger(label: "workers")
        self.logger = logger
        self.backgroundTasks = BackgroundTasks(logger: logger)
    }

    /// Runs until a shutdown signal arrives or a graceful shutdown is triggered on the calling task, then drains.
    /// - Parameters:
    ///   - handlingShutdownSignals: SIGTERM and SIGINT start a graceful shutdown (turn off for embedded and test
    ///     use, where ``triggerGracefulShutdown()`` does).
    ///   - onListening: Called once with the bound port (useful with port 0).
    public func run(
        handlingShutdownSignals: Bool = true,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let gracefulShutdownSignals: [UnixSignal] = handlingShutdownSignals ? [.sigterm, .sigint] : []
        let application = try makeApplication(onListening: onListening)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
        if let listen = configuration.metricsListen {
            services.append(.init(service: MetricsEndpoint.application(listen: listen, logger: logger)))
        }
        if !configuration.crons.isEmpty {
            let scheduler = try CronScheduler(
                crons: configuration.crons,
                worker: worker,
                env: env,
                backgroundTasks: backgroundTasks,
                logger: logger,
                claims: try cronClaims()
            )
            services.append(.init(service: scheduler))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        // A request or stream that does not finish within the drain bound is cancelled, so a shutdown always ends.
        // No maximumCancellationDuration: ServiceLifecycle turns one that is overrun into a fatalError, so a loaded
        // machine where cancelled work takes a little longer would crash the process (and every in-process server
        // with it) instead of exiting cleanly. Work that ignores cancellation is the supervisor's to kill.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.drainTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        await shutdown.attach(group)
        do {
            try await group.run()
        } catch {
            await drain()
            throw error
        }
        await drain()
    }

    /// The claims of ``Configuration/cronClaimBinding``, if set.
    /// - Throws: ``WorkerServerError`` when the binding is missing or cannot commit atomically.
    private func cronClaims() throws -> CronClaims? {
        guard let name = configuration.cronClaimBinding else { return nil }
        guard let store = env.kv(name) as? any KVAtomicNamespace else {
            throw WorkerServerError("cron runs are claimed in the KV binding \(name), which is missing or cannot commit atomically")
        }
        return CronClaims(store: store)
    }

    /// Starts a graceful shutdown, as SIGTERM would: in-flight requests and `waitUntil` work finish first.
    /// Safe to call before ``run(gracefulShutdownSignals:onListening:)`` has started (the run then stops at once).
    public func triggerGracefulShutdown() async {
        await shutdown.trigger()
    }

    private func drain() async {
        let pending = backgroundTasks.pendingCount
        if pending > 0 {
            logger.info("Waiting for \(pending) waitUntil task(s) to finish")
        }
        await backgroundTasks.drain()
    }

    private func makeApplication(onListening: @escaping @Sendable (Int) async -> Void) throws
        -> Application<WorkerResponder>
    {
        let responder = WorkerResponder(
            worker: worker,
            env: env,
            configuration: configuration,
            backgroundTasks: backgroundTasks,
            logger: logger
        )
        let server = try Self.serverBuilder(configuration)
        var engineLogger = logger
        engineLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            responder: responder,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil,
                availableConnectionsDelegate: configuration.maxConnections.map { MaximumAvailableConnections(max(1, $0)) }
            ),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: engineLogger
        )
    }

    /// The child channel every connection gets: HTTP/1 with the idle timeout, wrapped in the request-head deadline
    /// (so it sees the bytes after TLS decryption), wrapped in TLS when configured.
    static func serverBuilder(_ configuration: Configuration) throws -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(idleTimeout: configuration.idleTimeout?.timeAmount)
        let headTimeout = configuration.requestHeadTimeout?.timeAmount
        guard let tls = configuration.tls else {
            return HTTPServerBuilder { responder in
                Self.childChannel(HTTP1Channel(responder: responder, configuration: http1), headTimeout: headTimeout)
            }
        }
        let certificates = try NIOSSLCertificate.fromPEMFile(tls.certificatePath)
        let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
        let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        return HTTPServerBuilder { responder in
            let base = HTTP1Channel(responder: responder, configuration: http1)
            if let headTimeout {
                return try TLSChannel(RequestHeadTimeoutChannel(base, timeout: headTimeout), tlsConfiguration: tlsConfiguration)
            }
            return try TLSChannel(base, tlsConfiguration: tlsConfiguration)
        }
    }

    private static func childChannel(_ base: HTTP1Channel, headTimeout: TimeAmount?) -> any ServerChildChannel {
        guard let headTimeout else { return base }
        return RequestHeadTimeoutChannel(base, timeout: headTimeout)
    }
}
