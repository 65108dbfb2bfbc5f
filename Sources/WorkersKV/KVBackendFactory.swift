public import Foundation
public import Logging

/// Opens the `[[kv_namespaces]]` bindings of one backend kind (`backend = "..."` in `wrangler.toml`).
///
/// The kinds of this library are built in: ``sqlite`` (the default), ``file`` and ``memory``. Others come with the
/// library that implements them, so that a worker links a database driver only when it uses one: `postgres`
/// (`import WorkersKVPostgres`, ``KVBackendFactory/postgres``) is passed to `WorkerCommand.main(kvBackends:)`.
///
/// ```swift
/// await WorkerCommand.main(kvBackends: [.postgres]) { env in try makeWorker(env) }
/// ```
public struct KVBackendFactory: Sendable {
    /// What opening one binding is given.
    public struct Binding: Sendable {
        /// The binding name (`OAUTH_KV`).
        public var binding: String
        /// The namespace id from the config, if any.
        public var id: String?
        /// The config's `path`, resolved against the config's directory.
        public var path: URL?
        /// The config's `url_secret`: the name of the secret holding a connection URL.
        public var urlSecret: String?
        /// The state directory (`.wrangler/state` next to the config by default).
        public var storageDirectory: URL
        /// How often to delete expired entries in the background; `nil` never does.
        public var sweepInterval: Duration?
        /// Looks a secret up: `.dev.vars` first, then the process environment.
        public var secret: @Sendable (String) -> String?
        /// Where the backend logs.
        public var logger: Logger

        /// Creates a binding description.
        public init(
            binding: String, id: String? = nil, path: URL? = nil, urlSecret: String? = nil, storageDirectory: URL,
            sweepInterval: Duration? = nil, secret: @escaping @Sendable (String) -> String? = { _ in nil },
            logger: Logger = Logger(label: "workers.kv")
        ) {
            self.binding = binding
            self.id = id
            self.path = path
            self.urlSecret = urlSecret
            self.storageDirectory = storageDirectory
            self.sweepInterval = sweepInterval
            self.secret = secret
            self.logger = logger
        }
    }

    /// The `backend` value it opens (`sqlite`, `postgres`).
    public let name: String
    private let make: @Sendable (Binding) throws -> any KVNamespace

    /// A factory for `backend = "<name>"`.
    /// - Parameters:
    ///   - name: The `backend` value.
    ///   - open: Opens one binding; throwing refuses to start with the error's description.
    public init(name: String, open: @escaping @Sendable (Binding) throws -> any KVNamespace) {
        self.name = name
        self.make = open
    }

    /// Opens `binding`.
    public func open(_ binding: Binding) throws -> any KVNamespace {
        try make(binding)
    }

    /// A factory for one of this library's backends.
    public static func local(_ backend: KVBackend) -> KVBackendFactory {
        KVBackendFactory(name: backend.rawValue) { binding in
            try backend.open(
                binding: binding.binding, id: binding.id, at: binding.path, storageDirectory: binding.storageDirectory,
                sweepInterval: binding.sweepInterval
            )
        }
    }

    /// ``SQLiteKV``, the default.
    public static let sqlite = local(.sqlite)
    /// ``FileKV``.
    public static let file = local(.file)
    /// ``MemoryKV``.
    public static let memory = local(.memory)
    /// The built-in factories.
    public static let builtIn: [KVBackendFactory] = [sqlite, file, memory]
}
