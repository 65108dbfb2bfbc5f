/// Per-request bounds for ``Fetcher/fetch(_:limits:)``; `nil` leaves the fetcher's own.
public struct FetchLimits: Sendable, Equatable {
    /// How long the whole exchange (resolve, connect, send, receive the whole body) may take.
    public var timeout: Duration?
    /// The largest response body accepted.
    public var maximumResponseBytes: Int?

    /// Creates limits.
    public init(timeout: Duration? = nil, maximumResponseBytes: Int? = nil) {
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}
