public import Foundation

extension WorkerConfig {
    /// `[swift_workers]`: settings of this runtime that wrangler has no key for.
    ///
    /// ```toml
    /// [swift_workers]
    /// public_origin = "https://mcp.example.com"   # what handlers see as the request origin
    /// tls_cert = "certs/server.pem"               # serve HTTPS directly (both or neither)
    /// tls_key = "certs/server-key.pem"
    /// storage_dir = ".wrangler/state"             # KV and other local state
    /// trust_forwarded_headers = false             # honour Forwarded / X-Forwarded-* from a proxy
    /// max_body_size = 1048576                     # bytes; larger request bodies get 413
    /// request_head_timeout = 10                   # seconds from a request's first byte to its complete head
    /// max_connections = 1024                      # connections served at once; more wait in the backlog
    /// drain_timeout = 10                          # seconds a graceful shutdown waits for open requests
    /// metrics_listen = "127.0.0.1:9464"           # serve Prometheus metrics there (off when unset)
    /// outbound_ca_file = "certs/corporate-ca.pem" # CAs trusted by outbound fetches, on top of the system's
    /// outbound_connect_to = ["client.example:443:127.0.0.1:9443"]   # development: send a host elsewhere
    /// ```
    public struct Host: Sendable, Equatable {
        /// The default of ``storageDir``, relative to the config's directory (wrangler's local state directory).
        public static let defaultStorageDir = ".wrangler/state"
        /// The default of ``maxBodySize``: 1 MiB.
        public static let defaultMaxBodySize = 1_048_576
        /// The default of ``requestHeadTimeout``: 10 seconds.
        public static let defaultRequestHeadTimeout = Duration.seconds(10)
        /// The default of ``maxConnections``: 1,024.
        public static let defaultMaxConnections = 1024
        /// The default of ``drainTimeout``: 10 seconds.
        public static let defaultDrainTimeout = Duration.seconds(10)

        /// `seconds` as a ``drainTimeout``, to the millisecond; `nil` outside 0 to 3600 (what `drain_timeout` and
        /// `serve --drain-timeout` accept).
        public static func drainTimeout(seconds: Double) -> Duration? {
            guard seconds >= 0, seconds <= 3_600 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }

        /// `public_origin`: the scheme, host and port clients use (`https://example.com`), without a trailing slash.
        public var publicOrigin: String?
        /// `tls_cert`: a PEM certificate chain, resolved against the config's directory.
        public var tlsCert: URL?
        /// `tls_key`: the PEM private key for ``tlsCert``, resolved against the config's directory.
        public var tlsKey: URL?
        /// `storage_dir`: where local state (KV) lives, resolved against the config's directory.
        public var storageDir: URL
        /// `trust_forwarded_headers`: believe `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-Host`
        /// (only behind a proxy that sets them).
        public var trustForwardedHeaders: Bool
        /// `max_body_size`: the largest request body accepted, in bytes.
        public var maxBodySize: Int
        /// `request_head_timeout`: how long a client may take, from a request's first byte, to send the whole
        /// request head (seconds in the file; slow-loris clients get 408).
        public var requestHeadTimeout: Duration
        /// `max_connections`: the most connections served at once.
        public var maxConnections: Int
        /// `drain_timeout`: how long a graceful shutdown (SIGTERM, SIGINT) lets open requests and streams finish
        /// before it cancels them and the process exits (seconds in the file).
        public var drainTimeout: Duration
        /// `outbound_ca_file`: a PEM bundle of CA certificates that outbound fetches (``Env/fetcher`` and
        /// ``Env/publicFetcher``) trust on top of the system's, resolved against the config's directory.
        public var outboundCAFile: URL?
        /// `outbound_connect_to`: connection redirects for outbound fetches, curl's `--connect-to` rules
        /// (`HOST:PORT:ADDRESS:ADDRESSPORT`). The SSRF-safe ``Env/publicFetcher`` lets exactly these hosts reach
        /// non-public addresses: for development and tests, never for production.
        public var outboundConnectTo: [ConnectToRule]
        /// `[swift_workers.bearer_token]` and `[swift_workers.access]`: guards applied to every request.
        public var protection: Protection
        /// `metrics_listen`: where `serve` answers `GET /metrics` in the Prometheus text format, on a listener of its
        /// own (docs/operations.md); `nil` (the default) records and serves no metrics.
        public var metricsListen: ListenAddress?

        /// Creates `[swift_workers]` settings.
        public init(
            publicOrigin: String? = nil,
            tlsCert: URL? = nil,
            tlsKey: URL? = nil,
            storageDir: URL = URL(fileURLWithPath: Host.defaultStorageDir, isDirectory: true),
            trustForwardedHeaders: Bool = false,
            maxBodySize: Int = Host.defaultMaxBodySize,
            requestHeadTimeout: Duration = Host.defaultRequestHeadTimeout,
            maxConnections: Int = Host.defaultMaxConnections,
            drainTimeout: Duration = Host.defaultDrainTimeout,
            outboundCAFile: URL? = nil,
            outboundConnectTo: [ConnectToRule] = [],
            protection: Protection = Protection(),
            metricsListen: ListenAddress? = nil
        ) {
            self.publicOrigin = publicOrigin
            self.tlsCert = tlsCert
            self.tlsKey = tlsKey
            self.storageDir = storageDir
            self.trustForwardedHeaders = trustForwardedHeaders
            self.maxBodySize = maxBodySize
            self.requestHeadTimeout = requestHeadTimeout
            self.maxConnections = maxConnections
            self.drainTimeout = drainTimeout
            self.outboundCAFile = outboundCAFile
            self.outboundConnectTo = outboundConnectTo
            self.protection = protection
            self.metricsListen = metricsListen
        }
    }
}
