import NIOCore

/// Sits before the HTTP codec (after TLS, if any) and tells the connection's ``RequestHeadTimer`` when bytes arrive,
/// so the head deadline starts with a request's first byte.
final class RequestHeadByteHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timer: RequestHeadTimer

    init(timer: RequestHeadTimer) {
        self.timer = timer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer.attach(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer.detach()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer.detach()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if unwrapInboundIn(data).readableBytes > 0 {
            timer.bytesReceived()
        }
        context.fireChannelRead(data)
    }
}
