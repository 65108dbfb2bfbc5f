import Logging
import Synchronization
import Testing
import WorkersRuntime

@Suite("EscapingLogHandler (CWE-117)")
struct EscapingLogHandlerTests {
    /// What the wrapped handler was handed: the message and its metadata with the handler's own and the provider's.
    final class Lines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct Recording: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata.merging(metadataProvider?.get() ?? [:]) { _, provided in provided }
            merged.merge(event.metadata ?? [:]) { _, line in line }
            let line = (message: event.message.description, metadata: merged)
            lines.lines.withLock { $0.append(line) }
        }
    }

    struct Forged: CustomStringConvertible, Sendable {
        var description: String { "ok\n2026-12-01T00:00:00+0000 critical forged" }
    }

    static let forged = "rsa-1\n2026-12-01T00:00:00+0000 critical workers: admin logged in\r\u{1B}[2K"

    /// Every string in `value`, flattened.
    static func strings(_ value: Logger.Metadata.Value) -> [String] {
        switch value {
        case .string(let string): [string]
        case .stringConvertible(let convertible): [convertible.description]
        case .dictionary(let dictionary): dictionary.flatMap { [$0.key] + strings($0.value) }
        case .array(let array): array.flatMap(strings)
        }
    }

    static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" }
    }

    @Test("messages, logger metadata, line metadata (nested too) and provider metadata reach the handler escaped")
    func everythingIsEscaped() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["trace": .string(Self.forged)] }
        var logger = Logger(label: "t") { _ in
            EscapingLogHandler(Recording(lines: lines, metadata: ["preset": .string(Self.forged)], metadataProvider: provider))
        }
        logger[metadataKey: "kid"] = .string(Self.forged)
        logger[metadataKey: "key\nforged"] = "v"
        logger.notice(
            "Access assertion rejected: \(Self.forged)",
            metadata: [
                "reason": .string(Self.forged),
                "nested": ["inner": [.string(Self.forged), .stringConvertible(Forged())]],
                "convertible": .stringConvertible(Forged()),
                "plain": .stringConvertible(42),
            ]
        )
        let line = try #require(lines.lines.withLock { $0.first })
        #expect(line.message == #"Access assertion rejected: rsa-1\n2026-12-01T00:00:00+0000 critical workers: admin logged in\r\u{1B}[2K"#)
        #expect(line.metadata["kid"] == .string(Self.forged.escapedForLog))
        #expect(line.metadata["reason"] == .string(Self.forged.escapedForLog))
        #expect(line.metadata[#"key\nforged"#] == "v")
        #expect(line.metadata["trace"] == .string(Self.forged.escapedForLog))
        #expect(line.metadata["preset"] == .string(Self.forged.escapedForLog))
        #expect(line.metadata["convertible"] == .string(Forged().description.escapedForLog))
        #expect(line.metadata["plain"]?.description == "42")
        for (key, value) in line.metadata {
            #expect(Self.isClean(key), "\(key)")
            for string in Self.strings(value) { #expect(Self.isClean(string), "\(key): \(string)") }
        }
        #expect(Self.isClean(line.message))
    }

    @Test("an event's error is logged escaped, as error.message and error.type metadata")
    func errorIsEscaped() throws {
        struct Failure: Error, CustomStringConvertible { var description: String { EscapingLogHandlerTests.forged } }
        let lines = Lines()
        let handler = EscapingLogHandler(Recording(lines: lines))
        handler.log(
            event: LogEvent(
                level: .error, message: "failed", error: Failure(), metadata: nil, source: nil, file: #fileID,
                function: #function, line: #line)
        )
        let line = try #require(lines.lines.withLock { $0.first })
        #expect(line.metadata["error.message"] == .string(Self.forged.escapedForLog))
        #expect(line.metadata["error.type"]?.description.hasSuffix("Failure") == true)
    }

    @Test("text without control characters passes unchanged")
    func plainTextUnchanged() throws {
        let lines = Lines()
        let logger = Logger(label: "t") { _ in EscapingLogHandler(Recording(lines: lines)) }
        logger.info("GET /mcp 200 1.2ms", metadata: ["path": "/mcp?x=1", "user": "Zoë"])
        let line = try #require(lines.lines.withLock { $0.first })
        #expect(line.message == "GET /mcp 200 1.2ms")
        #expect(line.metadata == ["path": "/mcp?x=1", "user": "Zoë"])
    }
}
