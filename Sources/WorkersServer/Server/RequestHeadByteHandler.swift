import NIOCore

/// Sits before the HTTP codec (after TLS, if any) and tells the connection's ``RequestHeadTimer`` when bytes arrive,
/// so the head deadline starts with a request's first byte; and tells the connection's ``ConnectionWatch`` when the
/// client's input ends, so the request being handled for it is cancelled.
final class RequestHeadByteHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timer: RequestHeadTimer

    init(timer: RequestHeadTimer) {
        self.timer = timer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer.attach(context)
        ConnectionWatch.register(context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.detach()
        ConnectionWatch.unregister(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.detach()
        ConnectionWatch.unregister(context.channel)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            ConnectionWatch.of(context.channel)?.clientHasLeft()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if unwrapInboundIn(data).readableBytes > 0 {
            timer.bytesReceived()
        }
        context.fireChannelRead(data)
    }
}
