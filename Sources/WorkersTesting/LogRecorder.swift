public import Logging
import Synchronization

/// Keeps every line logged through its loggers, so a test can assert on log output (what was logged, and that
/// nothing attacker-controlled started a line of its own).
///
/// ```swift
/// let logs = LogRecorder()
/// let server = try await LiveServer.start(worker: worker, logger: logs.logger())
/// ...
/// #expect(!logs.entries.contains { $0.text.contains("\n") })
/// ```
public final class LogRecorder: Sendable {
    /// One logged line.
    public struct Entry: Sendable, Equatable {
        /// The level it was logged at.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The metadata (the logger's and the line's), each value as the text a log handler would print.
        public var metadata: [String: String]

        /// The message and every metadata value, newline-separated: what to search for forged lines.
        public var text: String {
            ([message] + metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }).joined(separator: "\n")
        }
    }

    private let recorded = Mutex<[Entry]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Everything logged so far, oldest first.
    public var entries: [Entry] {
        recorded.withLock { $0 }
    }

    /// A logger whose lines this recorder keeps.
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - level: The lowest level kept.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        recorded.withLock { $0.append(entry) }
    }

    /// The handler behind ``logger(label:level:)``.
    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, line in line }
            recorder.append(
                Entry(
                    level: event.level,
                    message: event.message.description,
                    metadata: merged.mapValues(\.description)
                )
            )
        }
    }
}
