import AsyncHTTPClient
import Foundation
package import Logging
import Synchronization
import WorkersKV
package import WorkersRuntime

/// Assembles what a command needs from the configuration: the environment (vars, secrets, KV bindings, fetch).
/// `package` so `WorkersHummingbird` builds an app's `Env` the same way.
package struct WorkerHost {
    package let config: WorkerConfig
    package let env: Env

    /// Loads secrets and opens every `[[kv_namespaces]]` binding.
    /// - Parameter sweepInterval: How often KV namespaces delete expired entries in the background (servers sweep;
    ///   one-shot commands pass `nil`).
    package init(
        config: WorkerConfig,
        secrets: [String: String],
        varOverrides: [String: String],
        sweepInterval: Duration? = nil,
        logger: Logger
    ) throws {
        self.config = config
        var env = Env.make(config: config, secrets: secrets, varOverrides: varOverrides)
        let storage = config.storageDirectory
        let factories = KVBackendFactory.builtIn + WorkerCommand.kvBackends.withLock { $0 }
        let secrets = env.secrets
        for namespace in config.kvNamespaces {
            let name = namespace.backend ?? KVBackend.default.rawValue
            guard let factory = factories.last(where: { $0.name == name }) else {
                let library = name == "postgres" ? ": `import WorkersKVPostgres` and pass `kvBackends: [.postgres]` to WorkerCommand.main" : ""
                throw CommandError("[[kv_namespaces]] \(namespace.binding): backend \"\(name)\" is not available in this worker\(library)")
            }
            do {
                env.bindings[namespace.binding] = try factory.open(
                    KVBackendFactory.Binding(
                        binding: namespace.binding, id: namespace.id, path: namespace.resolvedPath(in: config.directory),
                        urlSecret: namespace.urlSecret, storageDirectory: storage, sweepInterval: sweepInterval,
                        secret: { secrets[$0] ?? ProcessInfo.processInfo.environment[$0] }, logger: logger
                    )
                )
            } catch {
                throw CommandError("[[kv_namespaces]] \(namespace.binding): \(error)")
            }
        }
        let outbound = try Self.outboundFetchers(config.host)
        env.fetcher = outbound.fetcher
        env.publicFetcher = outbound.publicFetcher
        self.env = env
        for warning in config.warnings {
            logger.warning("\(warning)")
        }
    }

    /// `env.fetcher` and the SSRF-safe `env.publicFetcher`, trusting `outbound_ca_file` on top of the system's CAs
    /// (one client for the process), the public one following `outbound_connect_to`.
    static func outboundFetchers(_ host: WorkerConfig.Host) throws -> (fetcher: any Fetcher, publicFetcher: any Fetcher) {
        guard let file = host.outboundCAFile else {
            return (HTTPClientFetcher(), PublicFetcher(connectTo: host.outboundConnectTo))
        }
        let bundle: OutboundCABundle
        do { bundle = try OutboundCABundle(pemFile: file.path) } catch {
            throw CommandError("[swift_workers] outbound_ca_file \(error)")
        }
        return (
            HTTPClientFetcher(client: Self.client(trusting: bundle)),
            PublicFetcher(connectTo: host.outboundConnectTo, additionalTrustRoots: bundle.trustRoots)
        )
    }

    /// One long-lived client per distinct extra trust bundle (a process builds one host, tests build many).
    private static let clients = Mutex<[OutboundCABundle: HTTPClient]>([:])

    private static func client(trusting bundle: OutboundCABundle) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[bundle] { return client }
            let client = HTTPClientFetcher.makeClient(additionalTrustRoots: bundle.trustRoots)
            clients[bundle] = client
            return client
        }
    }

    /// What `serve` and `cron trigger` both start from: the config and secrets `options` name, the environment with
    /// its bindings, and the worker built from it (a factory that throws refuses to start, with its message).
    static func load(
        _ options: ConfigOptions,
        varOverrides: [String: String] = [:],
        sweepInterval: Duration? = nil,
        logger: Logger
    ) async throws -> (host: WorkerHost, worker: Worker) {
        let config = try options.loadConfig()
        let secrets = try options.secretsFile(for: config).values()
        let host = try WorkerHost(
            config: config,
            secrets: secrets,
            varOverrides: varOverrides,
            sweepInterval: sweepInterval,
            logger: logger
        )
        do {
            return (host, try await WorkerCommand.makeWorker(host.env))
        } catch {
            throw CommandError("The worker refused to start: \(error)")
        }
    }

    /// The KV namespace bound as `binding`, or an error naming the bindings that exist.
    func kv(_ binding: String) throws -> any KVNamespace {
        guard let namespace = env.kv(binding) else {
            let known = config.kvNamespaces.map(\.binding).joined(separator: ", ")
            throw CommandError("No KV namespace bound as '\(binding)' in the config (bindings: \(known.isEmpty ? "none" : known))")
        }
        return namespace
    }
}

/// A command failure with a message for the user.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension WorkerConfig {
    /// Where local state lives: `[swift_workers] storage_dir` (`.wrangler/state` next to the config by default).
    var storageDirectory: URL { host.storageDir }
}
