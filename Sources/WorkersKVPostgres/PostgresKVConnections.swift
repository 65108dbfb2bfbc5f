import Logging
import PostgresNIO
import Synchronization
import WorkersKV
import WorkersRuntime

/// The `PostgresClient` (connection pool) behind a ``PostgresKV``, with the task that runs it, and the bounds on
/// every operation.
///
/// The client's `run()` runs on a detached task owned by this object, started at init and ended by ``close()``
/// (or deinit): detached, so that a graceful-shutdown signal meant for the server does not close the pool while
/// the server is still draining requests.
///
/// Recovery: postgres-nio's pool retries connecting with a backoff that grows to a minute, so after a long outage
/// it could take that long to notice the server is back. When connections have been failing for
/// ``PostgresKV/Configuration/reconnectDelay``, the next failure replaces the client with a fresh one, whose first
/// attempt is immediate; a slow statement on a working connection never does.
final class PostgresKVConnections: Sendable {
    private final class Generation: Sendable {
        let client: PostgresClient
        let run: Task<Void, Never>

        init(configuration: PostgresClient.Configuration, logger: Logger) {
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            self.client = client
            self.run = Task.detached { await client.run() }
        }
    }

    private struct State {
        var current: Generation?
        var failingSince: ContinuousClock.Instant?
        var retired: [Task<Void, Never>] = []
    }

    private let state: Mutex<State>
    private let client: PostgresClient.Configuration
    private let deadlines: OperationDeadlines
    private let timeout: Duration
    private let reconnectDelay: Duration
    private let logger: Logger
    /// `PostgreSQL at host:port/database`: where, without credentials.
    let endpoint: String

    init(client: PostgresClient.Configuration, timeout: Duration, reconnectDelay: Duration, logger: Logger) {
        self.client = client
        self.timeout = timeout
        self.reconnectDelay = reconnectDelay
        self.logger = logger
        self.deadlines = OperationDeadlines(tick: min(.milliseconds(100), timeout / 10))
        self.endpoint = Self.describe(client)
        self.state = Mutex(State(current: Generation(configuration: client, logger: logger)))
    }

    deinit {
        state.withLock { state in
            state.current?.run.cancel()
            for task in state.retired { task.cancel() }
        }
    }

    /// Runs `body` on a leased connection within the operation timeout, translating failures
    /// (``PostgresKVFailure``).
    func perform<Value: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        guard let generation = state.withLock({ $0.current }) else {
            throw KVStorageError("\(endpoint): the namespace is closed")
        }
        let leased = Mutex(false)
        do {
            let value = try await deadlines.run(timeout: timeout) {
                try await generation.client.withConnection { connection in
                    leased.withLock { $0 = true }
                    return try await body(connection)
                }
            }
            state.withLock { $0.failingSince = nil }
            return value
        } catch {
            let stage: PostgresKVFailure.Stage = leased.withLock { $0 } ? .running : .connecting
            if PostgresKVFailure.isConnectionFailure(error, stage: stage) { connectionsFailed(generation) }
            throw PostgresKVFailure.translate(error, operation: operation, stage: stage, endpoint: endpoint, timeout: timeout)
        }
    }

    /// Notes a connection failure of `generation`; replaces it if connections have been failing for long enough.
    private func connectionsFailed(_ generation: Generation) {
        let now = ContinuousClock.now
        let replaced: Bool = state.withLock { state in
            guard state.current === generation else { return false }
            guard let since = state.failingSince else {
                state.failingSince = now
                return false
            }
            guard since.duration(to: now) >= reconnectDelay else { return false }
            generation.run.cancel()
            // Retired pools end within moments of being cancelled; close() waits for the recent ones.
            if state.retired.count >= 16 { state.retired.removeFirst() }
            state.retired.append(generation.run)
            state.current = Generation(configuration: client, logger: logger)
            state.failingSince = now
            return true
        }
        if replaced {
            logger.warning("PostgreSQL connections keep failing; starting a new connection pool", metadata: ["endpoint": "\(endpoint)"])
        }
    }

    /// Ends the client's run task (closing its connections) and waits for it; later operations throw.
    func close() async {
        let tasks: [Task<Void, Never>] = state.withLock { state in
            var tasks = state.retired
            if let current = state.current { tasks.append(current.run) }
            state.current = nil
            state.retired = []
            return tasks
        }
        for task in tasks {
            task.cancel()
            await task.value
        }
    }

    private static func describe(_ configuration: PostgresClient.Configuration) -> String {
        let place: String
        if let socket = configuration.unixSocketPath {
            place = socket
        } else {
            let host = configuration.host ?? "?"
            let shown = host.contains(":") ? "[\(host)]" : host
            place = "\(shown):\(configuration.port ?? 5432)"
        }
        return "PostgreSQL at \(place)/\(configuration.database ?? configuration.username)"
    }
}
