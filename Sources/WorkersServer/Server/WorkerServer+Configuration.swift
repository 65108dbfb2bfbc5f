public import Foundation
import NIOCore
public import WorkersRuntime

extension WorkerServer {
    /// How a ``WorkerServer`` listens, what it trusts, and the limits it puts on clients.
    ///
    /// ```swift
    /// let configuration = WorkerServer.Configuration(port: 8787, requestHeadTimeout: .seconds(5), maxConnections: 256)
    /// ```
    public struct Configuration: Sendable {
        /// TLS material for serving HTTPS directly.
        public struct TLS: Sendable, Equatable {
            /// PEM certificate chain file.
            public var certificatePath: String
            /// PEM private key file.
            public var privateKeyPath: String

            public init(certificatePath: String, privateKeyPath: String) {
                self.certificatePath = certificatePath
                self.privateKeyPath = privateKeyPath
            }
        }

        /// Interface to listen on (`localhost` by default, like `wrangler dev`).
        public var host: String
        /// Port to listen on; 0 picks a free one.
        public var port: Int
        /// The origin clients use (behind a TLS-terminating proxy), e.g. `https://mcp.example.com`.
        /// When set, every request URL handlers see uses it.
        public var publicOrigin: URL?
        /// Whether to believe `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-Host` (only behind a proxy you run).
        public var trustForwardedHeaders: Bool
        /// Largest request body accepted; larger ones get 413.
        public var maxBodySize: Int
        /// Idle keep-alive connections are closed after this long.
        public var idleTimeout: Duration?
        /// How long a client may take to send a request head, counted from its first byte (not an idle timer: a
        /// client dribbling one byte a second is still cut off). Past it the client gets 408 and the connection
        /// closes. `nil` sets no deadline.
        public var requestHeadTimeout: Duration?
        /// The most connections served at once; further clients wait in the listen backlog until one closes.
        /// `nil` sets no limit.
        public var maxConnections: Int?
        /// Serve HTTPS with this certificate and key.
        public var tls: TLS?
        /// Cron expressions (`[triggers] crons`) to run the scheduled handler on, in UTC.
        public var crons: [String]
        /// Expose `GET /__scheduled?cron=...` to trigger the scheduled handler, like `wrangler dev --test-scheduled`.
        /// The KV binding in which each cron run is claimed before it runs, so that of several instances sharing
        /// that store exactly one runs each scheduled time (`nil`: every instance runs every cron). `serve` sets the
        /// first `[[kv_namespaces]]` binding.
        public var cronClaimBinding: String?
        public var testScheduled: Bool
        /// How long a graceful shutdown lets open requests and event streams finish; after it they are cancelled,
        /// the connections closed, and ``WorkerServer/run(handlingShutdownSignals:onListening:)`` returns.
        public var drainTimeout: Duration
        /// Log one line per request (method, path, status, duration): at `debug` for a success or redirect, at `info`
        /// for a 4xx or 5xx answer.
        public var logRequests: Bool
        /// Where to answer `GET /metrics` in the Prometheus text format, on a listener of its own (docs/operations.md).
        /// When set, the server makes a Prometheus registry the process's swift-metrics backend (the first server
        /// created with it does, once per process: leave this `nil` in a process that bootstraps swift-metrics
        /// itself), counts and times every request, and times the environment's KV operations. `nil` (the default)
        /// records nothing.
        public var metricsListen: ListenAddress?

        public init(
            host: String = "localhost",
            port: Int = 8787,
            publicOrigin: URL? = nil,
            trustForwardedHeaders: Bool = false,
            maxBodySize: Int = 1_048_576,
            idleTimeout: Duration? = .seconds(60),
            requestHeadTimeout: Duration? = .seconds(10),
            maxConnections: Int? = 1024,
            tls: TLS? = nil,
            crons: [String] = [],
            testScheduled: Bool = false,
            cronClaimBinding: String? = nil,
            drainTimeout: Duration = .seconds(10),
            logRequests: Bool = true,
            metricsListen: ListenAddress? = nil
        ) {
            self.host = host
            self.port = port
            self.publicOrigin = publicOrigin
            self.trustForwardedHeaders = trustForwardedHeaders
            self.maxBodySize = maxBodySize
            self.idleTimeout = idleTimeout
            self.requestHeadTimeout = requestHeadTimeout
            self.maxConnections = maxConnections
            self.tls = tls
            self.crons = crons
            self.testScheduled = testScheduled
            self.cronClaimBinding = cronClaimBinding
            self.drainTimeout = drainTimeout
            self.logRequests = logRequests
            self.metricsListen = metricsListen
        }

        /// The URL scheme the server itself speaks.
        var scheme: String { tls == nil ? "http" : "https" }
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
