public import Foundation

/// A server executable of this package started as a child process, for tests of the real binary.
///
/// ```swift
/// let server = try ChildServer.start(ChildServer.sibling("bearer-token"), arguments: ["serve", "--port", "0"])
/// let response = try await TestClient().send(.get, server.url("/"))
/// #expect(await server.stop() == 0)
/// ```
public final class ChildServer: Sendable {
    /// Which output the server announces its address on.
    public enum Announcement: Sendable {
        case standardOutput
        case standardError
    }

    /// The running process.
    public let process: Process
    /// The port it announced.
    public let port: Int
    /// What it printed on the announcing output up to and including the announcement (startup warnings).
    public let startupOutput: String
    private let output: FileHandle

    private init(process: Process, port: Int, startupOutput: String, output: FileHandle) {
        self.output = output
        self.process = process
        self.port = port
        self.startupOutput = startupOutput
    }

    /// An executable built next to the running test binary (`swift build --build-tests` builds them all).
    public static func sibling(_ name: String) -> URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Starts `executable` and waits until it announces `http://127.0.0.1:PORT` on `announcement`.
    /// - Throws: ``ChildServerError`` when the process ends (or closes that output) before announcing a port.
    public static func start(
        _ executable: URL,
        arguments: [String],
        in directory: URL? = nil,
        announcement: Announcement = .standardError
    ) throws -> ChildServer {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        switch announcement {
        case .standardOutput:
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
        case .standardError:
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
        }
        try process.run()
        var text = ""
        while port(in: text) == nil {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = port(in: text) else {
            process.terminate()
            throw ChildServerError(output: text)
        }
        return ChildServer(process: process, port: port, startupOutput: text, output: pipe.fileHandleForReading)
    }

    /// The port in the first `http://127.0.0.1:PORT` of `text`.
    static func port(in text: String) -> Int? {
        guard let range = text.range(of: "http://127.0.0.1:") else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        // Only a port followed by something else is complete (the rest of the line may still be arriving).
        guard !digits.isEmpty, digits.endIndex < text.endIndex else { return nil }
        return Int(digits)
    }

    /// `http://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)")!
    }

    /// Sends `signal` (SIGINT by default, a graceful shutdown) and returns the exit status, waiting off the
    /// cooperative pool.
    public func stop(signal: Int32 = SIGINT) async -> Int32 {
        kill(process.processIdentifier, signal)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [process] in
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }
}

extension ChildServer {
    /// What it printed on the announcing output after the announcement, read to the end: call it once, after
    /// ``stop(signal:)`` (it waits for the process to close the output).
    public func laterOutput() async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [output] in
                continuation.resume(returning: String(decoding: output.readDataToEndOfFile(), as: UTF8.self))
            }
        }
    }
}

/// A ``ChildServer`` ended before announcing its address.
public struct ChildServerError: Error, CustomStringConvertible {
    /// What it printed.
    public let output: String
    public var description: String { "the server did not announce an address; it printed: \(output)" }
}
