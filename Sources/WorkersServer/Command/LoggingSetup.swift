import Foundation
import Logging
import Synchronization
import WorkersRuntime

/// Sets up swift-log once per process: standard error, through an ``WorkersRuntime/EscapingLogHandler`` so no
/// value any library logs can forge a line (CWE-117).
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
                var handler = EscapingLogHandler(StreamLogHandler.standardError(label: label))
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
