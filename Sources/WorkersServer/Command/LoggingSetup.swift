import Foundation
import Logging
import Synchronization

/// Sets up swift-log once per process.
enum LoggingSetup {
    private static let bootstrapped = Mutex(false)

    static func bootstrap(level: String) -> Logger {
        let logLevel = Logger.Level(rawValue: level.lowercased()) ?? .info
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = logLevel
                return handler
            }
        }
        var logger = Logger(label: "workers")
        logger.logLevel = logLevel
        return logger
    }
}

/// Writes a line to standard error (banners and messages, keeping standard output for data such as JSON).
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
