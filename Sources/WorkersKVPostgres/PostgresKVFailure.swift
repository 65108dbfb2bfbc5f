import _ConnectionPoolModule
import NIOCore
import NIOPosix
import PostgresNIO
import WorkersKV
import WorkersRuntime

/// Turns what postgres-nio throws into the errors a KV caller handles: ``KVUnavailableError`` when the server
/// cannot be reached or went away (retrying may succeed; servers answer 503), ``KVStorageError`` for anything else
/// the database refused. Messages name the server (host, port, database), never the user's password, and never
/// the values bound to a statement.
enum PostgresKVFailure {
    /// How far an operation got before it failed.
    enum Stage: Sendable {
        /// Waiting for a connection from the pool.
        case connecting
        /// Running statements on a connection.
        case running
    }

    /// SQLSTATEs that mean the server is not available right now: class 08 (connection exception), 53300
    /// (too_many_connections), 57P01-57P03 (admin_shutdown, crash_shutdown, cannot_connect_now).
    static func isUnavailable(sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || ["53300", "57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// The error to throw for `error`, raised while `operation` was at `stage` on `endpoint`.
    static func translate(
        _ error: any Error, operation: String, stage: Stage, endpoint: String, timeout: Duration
    ) -> any Error {
        switch error {
        case is KVError, is KVUnavailableError, is KVStorageError, is CancellationError:
            return error
        case is OperationDeadlines.TimedOut:
            let seconds = describe(timeout)
            switch stage {
            case .connecting: return KVUnavailableError("\(endpoint): no connection within \(seconds)")
            case .running: return KVUnavailableError("\(endpoint): no answer within \(seconds)")
            }
        case let error as PSQLError:
            return translate(error, operation: operation, endpoint: endpoint)
        case let error as ConnectionPoolError:
            switch error {
            case .connectionCreationCircuitBreakerTripped:
                return KVUnavailableError("\(endpoint): connections have failed for too long")
            default:
                return KVUnavailableError("\(endpoint): the connection pool is shut down")
            }
        case is ChannelError, is IOError, is NIOConnectionError:
            return KVUnavailableError("\(endpoint): \(error)")
        default:
            return KVStorageError("\(endpoint): \(operation) failed: \(type(of: error)): \(error)")
        }
    }

    private static func translate(_ error: PSQLError, operation: String, endpoint: String) -> any Error {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            let message = error.serverInfo?[.message] ?? "no message"
            if isUnavailable(sqlState: state) {
                return KVUnavailableError("\(endpoint): \(message) (SQLSTATE \(state))")
            }
            return KVStorageError("\(endpoint): \(operation) failed: \(message) (SQLSTATE \(state))")
        case .connectionError:
            let reason = error.underlying.map { "\($0)" } ?? "connection failed"
            return KVUnavailableError("\(endpoint): \(reason)")
        case .serverClosedConnection, .uncleanShutdown:
            return KVUnavailableError("\(endpoint): the server closed the connection")
        case .clientClosedConnection, .poolClosed:
            return KVUnavailableError("\(endpoint): the connection was closed")
        case .queryCancelled:
            return KVUnavailableError("\(endpoint): the request was cancelled")
        default:
            // TLS and authentication set-up, protocol errors: a configuration or server problem, not an outage.
            return KVStorageError("\(endpoint): \(operation) failed: \(error.code)")
        }
    }

    /// Whether `error`, raised at `stage`, says that connections fail, as opposed to a statement being slow or
    /// refused: the pool is worth replacing when this has lasted a while.
    static func isConnectionFailure(_ error: any Error, stage: Stage) -> Bool {
        switch error {
        case is OperationDeadlines.TimedOut: return stage == .connecting
        case is ConnectionPoolError, is ChannelError, is IOError, is NIOConnectionError: return true
        case let error as PSQLError:
            switch error.code {
            case .server: return isUnavailable(sqlState: error.serverInfo?[.sqlState] ?? "")
            case .connectionError, .serverClosedConnection, .uncleanShutdown: return true
            default: return false
            }
        default: return false
        }
    }

    /// `2 s`, `500 ms`.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
