public import Logging

/// The per-invocation context of a handler: `ctx` in `fetch(request, env, ctx)`.
///
/// - `waitUntil` keeps work running after the response is sent; the server waits for it before shutting down.
/// - `props` carries the identity whoever dispatched to this handler vouched for (the OAuth provider puts the
///   decrypted grant props here).
public struct ExecutionContext: Sendable {
    /// The props set by the dispatcher, or `nil`.
    public var props: JSONValue?
    /// A logger for this invocation (carries the request id when the server made it).
    public var logger: Logger
    /// The set of `waitUntil` work this context adds to.
    public let backgroundTasks: BackgroundTasks

    /// Creates a context.
    /// - Parameters:
    ///   - props: The props the handler will see.
    ///   - logger: The invocation's logger.
    ///   - backgroundTasks: Where `waitUntil` work is tracked; a fresh set by default.
    public init(
        props: JSONValue? = nil,
        logger: Logger = Logger(label: "workers"),
        backgroundTasks: BackgroundTasks = BackgroundTasks()
    ) {
        self.props = props
        self.logger = logger
        self.backgroundTasks = backgroundTasks
    }

    /// Runs `work` after (or alongside) the response; failures are logged and never affect the response or other work.
    public func waitUntil(_ work: @escaping @Sendable () async throws -> Void) {
        backgroundTasks.add(work)
    }

    /// Decodes ``props`` as `T`.
    /// - Throws: ``ExecutionContextError/missingProps`` when there are none, or the decoding error.
    public func props<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let props else { throw ExecutionContextError.missingProps }
        return try props.decode(as: T.self)
    }

    /// A copy of this context with other props (the same `waitUntil` set and logger).
    public func with(props: JSONValue?) -> ExecutionContext {
        var copy = self
        copy.props = props
        return copy
    }
}

/// Errors from ``ExecutionContext``.
public enum ExecutionContextError: Error, Sendable {
    /// The handler asked for props, but its dispatcher set none.
    case missingProps
}
