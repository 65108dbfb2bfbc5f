import Foundation
import NIOCore
import ServiceLifecycle
import WorkersRuntime

/// Copies an event stream into a response body, with two additions a long-lived stream needs:
///
/// - a comment line (`: keep-alive`) every `heartbeat`, so proxies keep the connection and a vanished client is
///   noticed at the next write instead of never;
/// - on the server's graceful shutdown, a standalone stream (`GET`) ends, so it cannot hold the shutdown open.
///   Streams answering a request end by themselves once the response is sent.
///
/// A failed write (the client went away) ends the pump with the write's error.
enum SSEPump {
    static let keepAlive = Array(": keep-alive\n\n".utf8)

    static func pump(
        _ source: AsyncStream<[UInt8]>,
        to writer: ResponseBodyWriter,
        heartbeat: Duration?,
        endOnShutdown: Bool
    ) async throws {
        let (merged, continuation) = AsyncStream<[UInt8]>.makeStream()
        let forward = Task {
            for await chunk in source { continuation.yield(chunk) }
            continuation.finish()
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
            for await chunk in merged {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
        } onGracefulShutdown: {
            if endOnShutdown { continuation.finish() }
        }
    }
}
