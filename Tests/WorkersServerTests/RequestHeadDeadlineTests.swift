import NIOCore
import Testing

@testable import WorkersServer

@Suite("RequestHeadDeadline")
struct RequestHeadDeadlineTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    func at(_ milliseconds: Int64) -> NIODeadline { start + .milliseconds(milliseconds) }

    @Test("the deadline runs from a head's first byte, however often more bytes arrive")
    func fromFirstByte() {
        var deadline = RequestHeadDeadline(timeout: .seconds(1))
        #expect(deadline.bytesReceived(now: at(0)) == .schedule(at(1000)))
        #expect(deadline.bytesReceived(now: at(500)) == .none)
        #expect(deadline.deadlinePassed(now: at(999)) == .none)
        #expect(deadline.deadlinePassed(now: at(1000)) == .close)
    }

    @Test("a decoded head meets it; body bytes and the time between requests do not start it")
    func headAndBody() {
        var deadline = RequestHeadDeadline(timeout: .seconds(1))
        _ = deadline.bytesReceived(now: at(0))
        #expect(deadline.headReceived() == .cancel)
        #expect(deadline.bytesReceived(now: at(100)) == .none)
        #expect(deadline.deadlinePassed(now: at(5000)) == .none)
        deadline.requestEnded()
        #expect(deadline.responseEnded(now: at(6000)) == .none)
        #expect(deadline.deadlinePassed(now: at(60_000)) == .none)
        #expect(deadline.bytesReceived(now: at(60_000)) == .schedule(at(61_000)))
    }

    @Test("a pipelined head is timed from its first byte but only closed once no response is in flight")
    func pipelined() {
        var deadline = RequestHeadDeadline(timeout: .seconds(1))
        _ = deadline.bytesReceived(now: at(0))
        _ = deadline.headReceived()
        deadline.requestEnded()
        #expect(deadline.bytesReceived(now: at(100)) == .none)
        #expect(deadline.deadlinePassed(now: at(2000)) == .none)
        #expect(deadline.responseEnded(now: at(500)) == .schedule(at(1100)))
        var late = deadline
        #expect(late.headReceived() == .cancel)
        #expect(deadline.deadlinePassed(now: at(1100)) == .close)
        var slowResponse = RequestHeadDeadline(timeout: .seconds(1))
        _ = slowResponse.bytesReceived(now: at(0))
        _ = slowResponse.headReceived()
        slowResponse.requestEnded()
        _ = slowResponse.bytesReceived(now: at(100))
        #expect(slowResponse.responseEnded(now: at(3000)) == .close)
    }
}
