import NIOCore
import NIOHTTPTypes

/// Sits after the HTTP codec and tells the connection's ``RequestHeadTimer`` when a request head has been decoded
/// (the deadline is met), when a request has been read to its end, and when a response has been written to its end
/// (the next request may start).
final class RequestHeadPartHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timer: RequestHeadTimer

    init(timer: RequestHeadTimer) {
        self.timer = timer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: timer.headReceived()
        case .body: break
        case .end: timer.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            timer.responseEnded()
        }
        context.write(data, promise: promise)
    }
}
