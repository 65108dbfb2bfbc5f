import ArgumentParser
import Foundation
import Synchronization
public import WorkersKV
public import WorkersRuntime

/// The command line every worker executable gets: `serve` (the default, alias `dev`), `secret`, `kv`, `cron` and
/// `oauth` (the provider's clients and grants).
///
/// ```swift
/// @main struct HelloWorker {
///     static func main() async {
///         await WorkerCommand.main(Worker { request, env, ctx in Response.text("Hello") })
///     }
/// }
/// ```
///
/// `swift run hello` then serves on `localhost:8787`; `swift run hello secret put API_KEY` stores a secret in
/// `.dev.vars`; `swift run hello --help` lists everything.
public enum WorkerCommand {
    /// Builds the worker once the environment is known; throwing refuses to start with the error's description.
    public typealias WorkerFactory = @Sendable (Env) async throws -> Worker

    static let factory = Mutex<WorkerFactory?>(nil)
    static let protections = Mutex<[ConfiguredGuard]>([])
    static let kvBackends = Mutex<[KVBackendFactory]>([])

    /// Runs the command line for a ready-made worker and exits.
    /// - Parameters:
    ///   - worker: The worker.
    ///   - protections: The `[swift_workers.*]` protection tables this executable supports besides
    ///     `bearer_token` (`.access` with `import WorkersAccess`).
    ///   - kvBackends: KV backends this executable supports besides SQLite, files and memory (`.postgres` with
    ///     `import WorkersKVPostgres`).
    ///   - arguments: The arguments (the process's by default).
    public static func main(
        _ worker: Worker, protections: [ConfiguredGuard] = [], kvBackends: [KVBackendFactory] = [], arguments: [String]? = nil
    ) async {
        await main(protections: protections, kvBackends: kvBackends, arguments: arguments) { _ in worker }
    }

    /// Runs the command line for a worker built from the environment (secrets, vars, bindings) and exits.
    /// - Parameters:
    ///   - protections: The `[swift_workers.*]` protection tables this executable supports besides
    ///     `bearer_token` (`.access` with `import WorkersAccess`).
    ///   - kvBackends: KV backends this executable supports besides SQLite, files and memory (`.postgres` with
    ///     `import WorkersKVPostgres`).
    ///   - arguments: The arguments (the process's by default).
    ///   - makeWorker: Builds the worker; throwing refuses to start with the error's description.
    public static func main(
        protections: [ConfiguredGuard] = [], kvBackends: [KVBackendFactory] = [], arguments: [String]? = nil,
        _ makeWorker: @escaping WorkerFactory
    ) async {
        factory.withLock { $0 = makeWorker }
        self.protections.withLock { $0 = protections }
        self.kvBackends.withLock { $0 = kvBackends }
        await RootCommand.main(arguments)
    }

    static func makeWorker(_ env: Env) async throws -> Worker {
        guard let factory = factory.withLock({ $0 }) else {
            throw ValidationError("No worker registered: call WorkerCommand.main(worker)")
        }
        return try await factory(env)
    }
}

struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ProcessInfo.processInfo.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent },
        abstract: "A Cloudflare-Worker-style server, with wrangler-like commands.",
        subcommands: [ServeCommand.self, SecretCommand.self, KVCommand.self, CronCommand.self, OAuthCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
