/// How a test reaches the handler under test: called in process, or served by a ``LiveServer`` on a loopback port.
public enum TestMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The handler is called directly (fast; no sockets).
    case inProcess
    /// The handler is served on `127.0.0.1` and called over HTTP/1.1.
    case live

    public var description: String { rawValue }
}
