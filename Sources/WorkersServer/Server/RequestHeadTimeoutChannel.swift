import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with a deadline for each request head (slow-loris protection).
///
/// `HTTP1Channel`'s own handlers only see decoded HTTP parts, so a client dribbling header bytes is invisible to
/// them until the head is complete. This wrapper adds, per connection, a ``RequestHeadByteHandler`` before the
/// codec (after TLS when wrapped in `TLSChannel`) and a ``RequestHeadPartHandler`` after it, sharing one
/// ``RequestHeadTimer``. A head that is not complete `timeout` after its first byte gets 408 and the connection
/// closes; idle keep-alive connections stay governed by the channel's idle timeout.
///
/// ```swift
/// HTTPServerBuilder { responder in
///     RequestHeadTimeoutChannel(HTTP1Channel(responder: responder), timeout: .seconds(10))
/// }
/// ```
struct RequestHeadTimeoutChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    /// The channel that does the HTTP work.
    let base: HTTP1Channel
    /// How long a request head may take from its first byte.
    let timeout: TimeAmount

    init(_ base: HTTP1Channel, timeout: TimeAmount) {
        self.base = base
        self.timeout = timeout
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture { () -> HTTP1Channel in
            let timer = RequestHeadTimer(timeout: timeout)
            try channel.pipeline.syncOperations.addHandler(RequestHeadByteHandler(timer: timer))
            let partHandler = NIOLoopBound(RequestHeadPartHandler(timer: timer), eventLoop: channel.eventLoop)
            var configuration = base.configuration
            let additional = configuration.additionalChannelHandlers
            configuration.additionalChannelHandlers = { [partHandler.value] + additional() }
            return HTTP1Channel(responder: base.responder, configuration: configuration)
        }.flatMap { http1 in
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
