public import Foundation
public import NIOCore
import NIOFoundationCompat
import Synchronization

/// A response body: bytes in memory, or a stream produced while the response is being sent (Server-Sent Events).
///
/// ```swift
/// let body = ResponseBody.stream { writer in
///     for event in events { try await writer.write("data: \(event)\n\n") }
/// }
/// ```
public struct ResponseBody: Sendable {
    enum Storage: Sendable {
        case buffer(ByteBuffer)
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    let storage: Storage

    /// An empty body.
    public static var empty: ResponseBody { ResponseBody(ByteBuffer()) }

    /// A body of the given bytes.
    public init(_ buffer: ByteBuffer) {
        storage = .buffer(buffer)
    }

    /// A UTF-8 text body.
    public init(string: String) {
        storage = .buffer(ByteBuffer(string: string))
    }

    /// A body of raw bytes.
    public init(bytes: some Sequence<UInt8>) {
        storage = .buffer(ByteBuffer(bytes: bytes))
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    /// A streaming body: `produce` writes chunks as they become available; the response ends when it returns.
    /// A thrown error ends the response early (the connection is closed, since the status was already sent).
    public static func stream(_ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) -> ResponseBody {
        ResponseBody(storage: .stream(produce))
    }

    /// The bytes, when the body is not a stream.
    public var buffer: ByteBuffer? {
        if case .buffer(let buffer) = storage { return buffer }
        return nil
    }

    /// Whether the body is a stream.
    public var isStream: Bool {
        if case .stream = storage { return true }
        return false
    }

    /// Runs the body (streaming or not) and hands every chunk to `write`.
    public func write(to write: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws {
        switch storage {
        case .buffer(let buffer):
            if buffer.readableBytes > 0 { try await write(buffer) }
        case .stream(let produce):
            try await produce(ResponseBodyWriter(write))
        }
    }

    /// Collects the whole body in memory (for tests and in-process dispatch).
    /// - Parameter maxSize: The largest body accepted.
    public func collect(upTo maxSize: Int = .max) async throws -> ByteBuffer {
        if let buffer { return buffer }
        let collector = Collector(maxSize: maxSize)
        try await write { try collector.append($0) }
        return collector.result
    }

    /// The body collected as bytes.
    /// - Parameter maxSize: The largest body accepted.
    public func data(upTo maxSize: Int = .max) async throws -> Data {
        Data(buffer: try await collect(upTo: maxSize), byteTransferStrategy: .noCopy)
    }

    /// The body collected as UTF-8 text.
    public func text(upTo maxSize: Int = .max) async throws -> String {
        String(buffer: try await collect(upTo: maxSize))
    }
}

/// Writes chunks of a streaming ``ResponseBody``.
public struct ResponseBodyWriter: Sendable {
    private let sink: @Sendable (ByteBuffer) async throws -> Void

    /// Creates a writer that hands chunks to `sink`.
    public init(_ sink: @escaping @Sendable (ByteBuffer) async throws -> Void) {
        self.sink = sink
    }

    /// Writes bytes; suspends while the client is slower than the producer.
    public func write(_ buffer: ByteBuffer) async throws {
        try await sink(buffer)
    }

    /// Writes UTF-8 text.
    public func write(_ string: String) async throws {
        try await sink(ByteBuffer(string: string))
    }
}

/// A streamed body grew beyond the size it was collected with.
public struct ResponseBodyTooLargeError: Error, Sendable {
    public let maxSize: Int
}

private final class Collector: Sendable {
    private let buffer = Mutex(ByteBuffer())
    let maxSize: Int

    init(maxSize: Int) { self.maxSize = maxSize }

    var result: ByteBuffer { buffer.withLock { $0 } }

    func append(_ chunk: ByteBuffer) throws {
        try buffer.withLock { result in
            guard result.readableBytes + chunk.readableBytes <= maxSize else {
                throw ResponseBodyTooLargeError(maxSize: maxSize)
            }
            var chunk = chunk
            result.writeBuffer(&chunk)
        }
    }
}
