extension PostgresKV {
    /// Tuning of a ``PostgresKV``. Connection settings (host, TLS, connect timeout) are the client's
    /// configuration, usually from a ``PostgresURL``.
    public struct Configuration: Sendable {
        /// How often to delete expired entries in the background; `nil` (the default) never does.
        public var sweepInterval: Duration?
        /// The longest an operation may take, waiting for a connection included: past it, the operation throws
        /// `KVUnavailableError` (its outcome is then unknown for a write, as with any lost connection).
        public var operationTimeout: Duration
        /// How long connections must have been failing before the pool is replaced by a fresh one (see
        /// ``PostgresKV`` on recovery).
        public var reconnectDelay: Duration
        /// The most connections the pool opens (used by ``PostgresKV/init(url:namespace:configuration:now:logger:)``).
        public var maximumConnections: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - sweepInterval: How often to delete expired entries in the background; `nil` never does.
        ///   - operationTimeout: The longest an operation may take before it throws `KVUnavailableError`.
        ///   - reconnectDelay: How long connections must fail before the pool is replaced.
        ///   - maximumConnections: The most connections the pool opens.
        public init(
            sweepInterval: Duration? = nil,
            operationTimeout: Duration = .seconds(10),
            reconnectDelay: Duration = .seconds(5),
            maximumConnections: Int = 20
        ) {
            self.sweepInterval = sweepInterval
            self.operationTimeout = operationTimeout
            self.reconnectDelay = reconnectDelay
            self.maximumConnections = maximumConnections
        }
    }
}
