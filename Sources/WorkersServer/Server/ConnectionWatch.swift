import NIOCore
import Synchronization

/// Cancels the task handling a connection's request when the client goes away before the answer is written (it
/// closes the connection, or its sending side), so a handler waiting on something slow lets go of it instead of
/// working for nobody.
///
/// ``RequestHeadByteHandler`` registers one watch per connection and reports the end of the client's input;
/// ``WorkerResponder`` runs each request inside ``handling(_:)``. Requests on one HTTP/1.1 connection are handled one
/// at a time, so a watch holds at most one task.
final class ConnectionWatch: Sendable {
    private struct State {
        /// The task of the request being handled. It is cancelled only while registered, and the request removes it
        /// before its task moves on, so the unsafe reference never outlives the task.
        nonisolated(unsafe) var task: UnsafeCurrentTask?
        var clientLeft = false
    }

    private let state = Mutex(State())
    private static let watches = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    /// Starts watching `channel`.
    static func register(_ channel: any Channel) {
        watches.withLock { $0[ObjectIdentifier(channel)] = ConnectionWatch() }
    }

    /// Stops watching `channel`: its client has left (the connection closed).
    static func unregister(_ channel: any Channel) {
        watches.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }?.clientHasLeft()
    }

    /// The watch of `channel`, if it is watched.
    static func of(_ channel: any Channel) -> ConnectionWatch? {
        watches.withLock { $0[ObjectIdentifier(channel)] }
    }

    /// The client's input ended: the request being handled, if any, is cancelled.
    func clientHasLeft() {
        state.withLock { state in
            state.clientLeft = true
            state.task?.cancel()
        }
    }

    /// Runs `body` (the handling of one request) so that the client leaving meanwhile cancels the calling task.
    func handling<T>(_ body: () async -> T) async -> T {
        let leftAlready = withUnsafeCurrentTask { task in
            state.withLock { state in
                state.task = task
                return state.clientLeft
            }
        }
        if leftAlready { withUnsafeCurrentTask { $0?.cancel() } }
        defer { state.withLock { $0.task = nil } }
        return await body()
    }
}
