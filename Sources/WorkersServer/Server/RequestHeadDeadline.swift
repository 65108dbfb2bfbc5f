import NIOCore

/// When a connection must have delivered the head of its next request: pure transitions, applied by
/// ``RequestHeadTimer``.
///
/// The deadline starts with the first byte of a request and ends when the codec has decoded the whole head; it is
/// not an idle timer, so a client that sends one byte a second is cut off `timeout` after its first byte. Bytes of
/// a request body never start it (bodies are bounded by the body limit and the idle timeout). Bytes that arrive
/// while a response is in flight (a pipelined request) are timed from their arrival, but the connection is only
/// closed once no response is in flight.
struct RequestHeadDeadline: Sendable {
    /// What the I/O layer should do after an event.
    enum Action: Equatable, Sendable {
        /// Nothing.
        case none
        /// (Re)arm the timer to fire at this deadline.
        case schedule(NIODeadline)
        /// Disarm the timer.
        case cancel
        /// Answer 408 and close the connection.
        case close
    }

    /// How long a request head may take from its first byte.
    let timeout: TimeAmount
    /// When the first byte of a head not yet decoded arrived.
    private(set) var headStartedAt: NIODeadline?
    /// Requests whose head was decoded and whose response has not ended.
    private(set) var requestsInFlight = 0
    /// Whether a decoded request's body is still arriving (its bytes do not start a head).
    private(set) var readingBody = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Raw bytes arrived from the client, before the HTTP codec has seen them.
    mutating func bytesReceived(now: NIODeadline) -> Action {
        guard !readingBody, headStartedAt == nil else { return .none }
        headStartedAt = now
        return requestsInFlight == 0 ? .schedule(now + timeout) : .none
    }

    /// The codec decoded a request head.
    mutating func headReceived() -> Action {
        headStartedAt = nil
        readingBody = true
        requestsInFlight += 1
        return .cancel
    }

    /// The codec decoded the end of a request (its body, if any, is complete).
    mutating func requestEnded() {
        readingBody = false
    }

    /// The end of a response was written.
    mutating func responseEnded(now: NIODeadline) -> Action {
        requestsInFlight = max(0, requestsInFlight - 1)
        guard requestsInFlight == 0, let started = headStartedAt else { return .none }
        return now >= started + timeout ? .close : .schedule(started + timeout)
    }

    /// The timer fired.
    func deadlinePassed(now: NIODeadline) -> Action {
        guard requestsInFlight == 0, let started = headStartedAt, now >= started + timeout else { return .none }
        return .close
    }
}
