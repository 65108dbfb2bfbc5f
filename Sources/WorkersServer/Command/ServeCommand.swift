import ArgumentParser
import Foundation
import Logging
import Synchronization
import WorkersRuntime

/// `serve` (alias `dev`): runs the worker like `wrangler dev`.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the worker (the default command).",
        aliases: ["dev"]
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Interface to listen on (default: [dev] ip or localhost).")
    var ip: String?

    @Option(help: "Port to listen on (default: [dev] port or 8787).")
    var port: Int?

    @Option(name: .customLong("var"), help: "A var override KEY:VALUE (repeatable).")
    var vars: [String] = []

    @Flag(help: "Expose GET /__scheduled?cron=... to trigger the scheduled handler.")
    var testScheduled = false

    @Option(help: "Public origin clients use, e.g. https://mcp.example.com (default: [swift_workers] public_origin).")
    var publicOrigin: String?

    @Option(help: "PEM certificate to serve HTTPS with (default: [swift_workers] tls_cert).")
    var tlsCert: String?

    @Option(help: "PEM private key to serve HTTPS with (default: [swift_workers] tls_key).")
    var tlsKey: String?

    @Option(help: "Seconds a graceful shutdown waits for open requests before cancelling them (default: [swift_workers] drain_timeout or 10).")
    var drainTimeout: Double?

    @Option(help: "Serve Prometheus metrics at http://HOST:PORT/metrics on a listener of its own (default: [swift_workers] metrics_listen; off).")
    var metricsListen: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// Refuses a malformed `--metrics-listen` before anything is loaded.
    func validate() throws {
        if let metricsListen { _ = try Self.metricsAddress(metricsListen) }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(level: logLevel)
        let (host, loaded) = try await WorkerHost.load(
            options,
            varOverrides: try Env.varOverrides(parsing: vars),
            sweepInterval: .seconds(300),
            logger: logger
        )
        let config = host.config
        if let warning = options.secretsFile(for: config).permissionWarning() {
            logger.warning("\(warning)")
        }
        let worker = try ConfiguredProtection.apply(
            config.host.protection, to: loaded, env: host.env, logger: logger,
            guards: WorkerCommand.protections.withLock { $0 }
        )
        let configuration = try serverConfiguration(config)
        if let listen = configuration.metricsListen, !listen.isLoopback {
            logger.warning(
                "Metrics are served on \(listen), which is not a loopback address: anyone who can reach it reads them (docs/operations.md)"
            )
        }
        let server = WorkerServer(worker: worker, env: host.env, configuration: configuration, logger: logger)
        let name = config.name ?? RootCommand.configuration.commandName ?? "worker"
        try await server.run { port in
            let scheme = configuration.tls == nil ? "http" : "https"
            let local = "\(scheme)://\(configuration.host):\(port)"
            let publicNote = configuration.publicOrigin.map { " (public origin \($0.absoluteString))" } ?? ""
            printToStandardError("⎔ \(name) ready on \(local)\(publicNote)")
        }
    }

    func serverConfiguration(_ config: WorkerConfig) throws -> WorkerServer.Configuration {
        let originString = publicOrigin ?? config.host.publicOrigin
        var origin: URL?
        if let originString {
            guard let url = URL(string: originString), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw CommandError("public origin '\(originString)' is not an http(s) URL")
            }
            origin = url
        }
        let certPath = tlsCert ?? config.host.tlsCert?.path
        let keyPath = tlsKey ?? config.host.tlsKey?.path
        var tls: WorkerServer.Configuration.TLS?
        switch (certPath, keyPath) {
        case let (cert?, key?): tls = .init(certificatePath: cert, privateKeyPath: key)
        case (nil, nil): tls = nil
        default: throw CommandError("HTTPS needs both a certificate and a key (tls_cert and tls_key)")
        }
        return WorkerServer.Configuration(
            host: ip ?? config.dev.ip,
            port: port ?? config.dev.port,
            publicOrigin: origin,
            trustForwardedHeaders: config.host.trustForwardedHeaders,
            maxBodySize: config.host.maxBodySize,
            requestHeadTimeout: config.host.requestHeadTimeout,
            maxConnections: config.host.maxConnections,
            tls: tls,
            crons: config.crons,
            testScheduled: testScheduled,
            // Several instances on one store (a shared SQLite file, PostgreSQL) run each scheduled time once.
            cronClaimBinding: config.kvNamespaces.first?.binding,
            drainTimeout: try drainTimeout.map(Self.drainDuration) ?? config.host.drainTimeout,
            metricsListen: try metricsListen.map(Self.metricsAddress) ?? config.host.metricsListen
        )
    }

    static func metricsAddress(_ text: String) throws -> ListenAddress {
        guard let address = ListenAddress(parsing: text) else {
            throw CommandError("--metrics-listen must be HOST:PORT (port 0-65535, IPv6 in brackets), got \"\(text)\"")
        }
        return address
    }

    static func drainDuration(_ seconds: Double) throws -> Duration {
        guard let timeout = WorkerConfig.Host.drainTimeout(seconds: seconds) else {
            throw CommandError("--drain-timeout must be from 0 to 3600 seconds, got \(seconds)")
        }
        return timeout
    }
}
