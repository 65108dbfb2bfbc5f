extension WorkerConfig {
    /// `[dev]`: the address `serve` listens on, with wrangler's defaults.
    public struct Dev: Sendable, Equatable {
        /// `ip`: the interface to bind (default `localhost`).
        public var ip: String
        /// `port`: the port to bind (default 8787; 0 picks a free port).
        public var port: Int
        /// `local_protocol`: `http` (default) or `https`.
        public var localProtocol: String

        /// Creates `[dev]` settings.
        public init(ip: String = "localhost", port: Int = 8787, localProtocol: String = "http") {
            self.ip = ip
            self.port = port
            self.localProtocol = localProtocol
        }
    }
}
