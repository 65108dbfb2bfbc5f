import Dispatch

/// Runs blocking file-system work on a dedicated dispatch queue, away from NIO event loops and the cooperative
/// thread pool, and resumes the caller when it is done.
final class BlockingIOQueue: Sendable {
    private let queue: DispatchQueue

    /// Creates a concurrent queue labelled `label`.
    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated, attributes: .concurrent)
    }

    /// Runs `body` on the queue and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
