import Foundation

/// A Python script run as a child process, talked to line by line: its standard output read until a line, its
/// standard input written to; its standard error goes to a file (``errors``).
final class PythonClient: @unchecked Sendable {
    let process: Process
    private let input: FileHandle
    private let output: FileHandle
    private let errorFile: URL
    private var seen = ""

    private init(process: Process, input: FileHandle, output: FileHandle, errorFile: URL) {
        self.process = process
        self.input = input
        self.output = output
        self.errorFile = errorFile
    }

    static func start(python: URL, script: URL, arguments: [String], errorFile: URL) throws -> PythonClient {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-u", script.path] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        return PythonClient(process: process, input: stdin.fileHandleForWriting, output: stdout.fileHandleForReading, errorFile: errorFile)
    }

    /// What the script wrote to standard error so far.
    var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Ends the script if it still runs (a test that gave up on it).
    func kill() {
        if process.isRunning { process.terminate() }
    }

    /// Everything printed up to and including a line equal to `marker`.
    /// - Throws: ``PythonClientError`` with the output when the script ends first.
    func readUntil(_ marker: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { [self] in
                while !seen.split(separator: "\n").contains(where: { $0 == marker }) {
                    let chunk = output.availableData
                    if chunk.isEmpty {
                        continuation.resume(throwing: PythonClientError(output: seen + errors))
                        return
                    }
                    seen += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: seen)
            }
        }
    }

    func send(_ text: String) throws {
        try input.write(contentsOf: Data(text.utf8))
    }

    /// Waits for the script to end: its exit status and what it printed after the last ``readUntil(_:)``.
    func finish() async -> (Int32, String) {
        let before = seen.count
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                let rest = output.readDataToEndOfFile()
                process.waitUntilExit()
                seen += String(decoding: rest, as: UTF8.self)
                continuation.resume(returning: (process.terminationStatus, String(seen.dropFirst(before))))
            }
        }
    }
}

struct PythonClientError: Error, CustomStringConvertible {
    let output: String
    var description: String { "the script ended early:\n\(output)" }
}
