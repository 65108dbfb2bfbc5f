public import Foundation
public import Logging
import Synchronization
public import WorkersRuntime
public import WorkersServer

/// A ``WorkersServer/WorkerServer`` running on a free loopback port, for tests that need real sockets.
///
/// ```swift
/// let server = try await LiveServer.start(worker: worker)
/// let response = try await TestClient().send(.get, server.url("/hello"))
/// try await server.stop()
/// ```
public final class LiveServer: Sendable {
    /// The server.
    public let server: WorkerServer
    /// The bound port.
    public let port: Int
    private let task: Task<Void, any Error>

    private init(server: WorkerServer, port: Int, task: Task<Void, any Error>) {
        self.server = server
        self.port = port
        self.task = task
    }

    /// Starts `worker` on `127.0.0.1` and an ephemeral port, and returns once it is listening.
    /// - Parameters:
    ///   - worker: The worker to serve.
    ///   - env: Its environment.
    ///   - configuration: Server settings; `host` and `port` are overridden unless `keepAddress` is set.
    public static func start(
        worker: Worker,
        env: Env = Env(),
        configuration: WorkerServer.Configuration = .init(logRequests: false),
        keepAddress: Bool = false,
        logger: Logger = Logger(label: "live-server")
    ) async throws -> LiveServer {
        var configuration = configuration
        if !keepAddress {
            configuration.host = "127.0.0.1"
            configuration.port = 0
        }
        let server = WorkerServer(worker: worker, env: env, configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run(handlingShutdownSignals: false) { port in continuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw LiveServerError.didNotStart
        }
        return LiveServer(server: server, port: port, task: task)
    }

    /// `http(s)://127.0.0.1:<port>`.
    public var baseURL: URL {
        URL(string: "\(server.configuration.tls == nil ? "http" : "https")://127.0.0.1:\(port)")!
    }

    /// The absolute URL of `path` on this server.
    public func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + path)!
    }

    /// Shuts down gracefully (in-flight requests and `waitUntil` work finish) and waits until the server has stopped.
    public func stop() async throws {
        await server.triggerGracefulShutdown()
        try await task.value
    }

    /// Waits for the server to stop by itself.
    /// Starts a graceful shutdown and reports whether it ended within `deadline`, without awaiting a shutdown that
    /// may never end: a request or stream that holds the server up fails the test instead of hanging it.
    public func stop(within deadline: Duration) async -> Bool {
        let (outcome, report) = AsyncStream.makeStream(of: Bool.self)
        Task { try? await stop(); report.yield(true) }
        Task { try? await Task.sleep(for: deadline); report.yield(false) }
        var outcomes = outcome.makeAsyncIterator()
        return await outcomes.next() ?? false
    }

    public func waitUntilStopped() async throws {
        try await task.value
    }
}

/// Failures starting a ``LiveServer``.
public enum LiveServerError: Error {
    /// The server ended before it was listening.
    case didNotStart
}
