import NIOCore

/// One connection's request-head deadline: applies ``RequestHeadDeadline``'s actions on the channel's event loop.
///
/// Shared by the two handlers that feed it: ``RequestHeadByteHandler`` (raw bytes, before the HTTP codec) and
/// ``RequestHeadPartHandler`` (decoded request parts and written response parts, after it). Only ever touched on the
/// channel's event loop.
final class RequestHeadTimer {
    private var deadline: RequestHeadDeadline
    private var scheduled: Scheduled<Void>?
    /// The context of the raw-bytes handler, where a 408 is written and the connection closed.
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount) {
        deadline = RequestHeadDeadline(timeout: timeout)
    }

    /// Binds the timer to the raw-bytes handler's context.
    func attach(_ context: ChannelHandlerContext) {
        self.context = context
    }

    /// Disarms the timer for good (the handler was removed or the channel closed).
    func detach() {
        scheduled?.cancel()
        scheduled = nil
        context = nil
    }

    func bytesReceived() {
        apply(deadline.bytesReceived(now: .now()))
    }

    func headReceived() {
        apply(deadline.headReceived())
    }

    func requestEnded() {
        deadline.requestEnded()
    }

    func responseEnded() {
        apply(deadline.responseEnded(now: .now()))
    }

    private func apply(_ action: RequestHeadDeadline.Action) {
        switch action {
        case .none:
            break
        case .cancel:
            scheduled?.cancel()
            scheduled = nil
        case .schedule(let when):
            scheduled?.cancel()
            guard let context else { return }
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: when) { [self] in
                scheduled = nil
                apply(deadline.deadlinePassed(now: .now()))
            }
        case .close:
            scheduled?.cancel()
            scheduled = nil
            guard let context else { return }
            self.context = nil
            var response = context.channel.allocator.buffer(capacity: Self.timeoutResponse.utf8.count)
            response.writeString(Self.timeoutResponse)
            context.writeAndFlush(NIOAny(response)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// What a client that took too long over its request head is told before the connection closes.
    static let timeoutResponse: String = {
        let body = "Request Timeout: the request head took too long\n"
        return "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }()
}
