public import Logging

/// A log handler that escapes control characters (``Swift/String/escapedForLog``) in every message, metadata key
/// and metadata value before handing the line to the handler it wraps, so nothing logged by the process can forge
/// a log line or rewrite a terminal (CWE-117), whichever library logged it.
///
/// Metadata set on the logger, metadata from a metadata provider and an event's error are escaped too (the error
/// becomes `error.message` / `error.type` metadata, as `StreamLogHandler` prints it).
///
/// ```swift
/// LoggingSystem.bootstrap { label in
///     EscapingLogHandler(StreamLogHandler.standardError(label: label))
/// }
/// ```
public struct EscapingLogHandler<Wrapped: LogHandler>: LogHandler {
    /// The handler that writes the escaped lines.
    public private(set) var wrapped: Wrapped

    /// Wraps `wrapped`, escaping the metadata (and metadata provider) it already has.
    /// - Parameter wrapped: The handler that writes lines.
    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
        self.ownMetadata = wrapped.metadata
        self.wrapped.metadata = [:]
        if let provider = wrapped.metadataProvider {
            self.wrapped.metadataProvider = Self.escaping(provider)
        }
    }

    /// The logger's metadata, kept here as set and escaped when a line is written: a server sets request metadata
    /// on every request (Hummingbird's request id) and logs on few of them, and the wrapped handler would format
    /// its metadata on every set.
    private var ownMetadata: Logger.Metadata

    /// The wrapped handler's log level.
    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    /// The logger's metadata (escaped when a line is written).
    public var metadata: Logger.Metadata {
        get { ownMetadata }
        set { ownMetadata = newValue }
    }

    /// The wrapped handler's metadata provider; one set here has what it provides escaped.
    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue.map(Self.escaping) }
    }

    /// One metadata value of the logger (key and value escaped when a line is written).
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { ownMetadata[key] }
        set { ownMetadata[key] = newValue }
    }

    /// Escapes the event's message, metadata and error, then hands it to the wrapped handler.
    public func log(event: LogEvent) {
        var event = event
        let message = event.message.description
        let escaped = message.escapedForLog
        if escaped != message { event.message = "\(escaped)" }
        // The logger's own metadata first, the line's own over it, as a handler that stores metadata merges them.
        var metadata: Logger.Metadata? = ownMetadata.isEmpty && event.metadata == nil
            ? nil
            : Self.escape(ownMetadata.merging(event.metadata ?? [:]) { _, line in line })
        if let error = event.error {
            event.error = nil
            var withError = metadata ?? [:]
            withError["error.message"] = withError["error.message"] ?? .string("\(error)".escapedForLog)
            withError["error.type"] = withError["error.type"] ?? .string(String(reflecting: type(of: error)).escapedForLog)
            metadata = withError
        }
        event.metadata = metadata
        wrapped.log(event: event)
    }

    /// `metadata` with every key and value escaped.
    static func escape(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var escaped = Logger.Metadata(minimumCapacity: metadata.count)
        for (key, value) in metadata { escaped[key.escapedForLog] = escape(value) }
        return escaped
    }

    /// `value` with every string in it escaped; values that need no escaping are kept as they are.
    static func escape(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let string):
            return .string(string.escapedForLog)
        case .stringConvertible(let convertible):
            let description = convertible.description
            let escaped = description.escapedForLog
            return escaped == description ? value : .string(escaped)
        case .dictionary(let dictionary):
            return .dictionary(escape(dictionary))
        case .array(let array):
            return .array(array.map(escape))
        }
    }

    private static func escaping(_ provider: Logger.MetadataProvider) -> Logger.MetadataProvider {
        Logger.MetadataProvider { escape(provider.get()) }
    }
}
