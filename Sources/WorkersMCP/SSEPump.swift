import Foundation
import NIOCore
import NIOFoundationCompat
import ServiceLifecycle
import WorkersRuntime

/// Copies a transport's event stream into a response body, with two additions a long-lived stream needs:
///
/// - a comment line (`: keep-alive`) every `heartbeat`, so proxies keep the connection and a vanished client is
///   noticed at the next write instead of never;
/// - on the server's graceful shutdown, a standalone stream (`GET`) ends, so it cannot hold the shutdown open.
///   Streams answering a request end by themselves once the response is sent.
enum SSEPump {
    static let keepAlive = Data(": keep-alive\n\n".utf8)

    static func pump(
        _ source: AsyncThrowingStream<Data, any Error>,
        to writer: ResponseBodyWriter,
        heartbeat: Duration?,
        endOnShutdown: Bool
    ) async throws {
        let (merged, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let forward = Task {
            do {
                for try await chunk in source { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let beat = heartbeat.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled else { break }
                    continuation.yield(keepAlive)
                }
            }
        }
        defer {
            forward.cancel()
            beat?.cancel()
        }
        try await withGracefulShutdownHandler {
            for try await chunk in merged {
                try await writer.write(ByteBuffer(data: chunk))
            }
        } onGracefulShutdown: {
            if endOnShutdown { continuation.finish() }
        }
    }
}
