import Foundation

/// Where a request's or a session's server-sent events go: each message becomes one `message` event.
struct MCPEventSink: Sendable {
    let continuation: AsyncStream<[UInt8]>.Continuation

    /// A sink and the stream of event bytes it fills.
    static func make() -> (MCPEventSink, AsyncStream<[UInt8]>) {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
        return (MCPEventSink(continuation: continuation), stream)
    }

    /// Queues `message` (JSON bytes) as an event.
    func send(_ message: [UInt8]) {
        continuation.yield(Self.event(message))
    }

    /// Ends the stream.
    func finish() {
        continuation.finish()
    }

    /// `event: message` and one `data:` line (compact JSON has no line breaks).
    static func event(_ message: [UInt8]) -> [UInt8] {
        var bytes = Array("event: message\ndata: ".utf8)
        bytes.reserveCapacity(bytes.count + message.count + 2)
        bytes.append(contentsOf: message)
        bytes.append(contentsOf: [0x0A, 0x0A])
        return bytes
    }
}
