public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local secrets file (`.dev.vars`), edited like `wrangler secret put|list|delete`.
///
/// Edits keep every other line (entries, comments, blank lines) as it was. Each write goes to a new file created
/// with mode 0600, which then replaces the old one atomically: the secrets are never readable by other users, not
/// even briefly, and a crash never leaves a half-written file. File I/O is synchronous; call it from a command, not
/// from a request handler.
///
/// ```swift
/// let secrets = SecretsFile(url: DotEnv.secretsFile(for: config))
/// try secrets.put("MCP_SECRET_TOKEN", value: token)
/// try secrets.list()              // ["MCP_SECRET_TOKEN"]
/// try secrets.delete("MCP_SECRET_TOKEN")
/// ```
public struct SecretsFile: Sendable {
    /// The file edited.
    public let url: URL

    /// A secrets file at `url` (it need not exist yet).
    public init(url: URL) {
        self.url = url
    }

    /// The secrets file for `config` and its selected environment (see ``DotEnv/secretsFile(for:environment:)``).
    public init(config: WorkerConfig, environment: String?) {
        url = DotEnv.secretsFile(for: config, environment: environment)
    }

    /// Checks that `name` can be a secret's name: `[A-Za-z_][A-Za-z0-9_]*`.
    /// - Throws: ``SecretsFileError`` when it cannot.
    public static func validate(name: String) throws {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter,
            name.unicodeScalars.allSatisfy({ $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) })
        else {
            throw SecretsFileError(
                message: "invalid secret name \"\(name)\": use letters, digits and underscores, not starting with a digit")
        }
    }

    /// The names of the secrets in the file, in file order (empty when there is no file).
    public func list() throws -> [String] {
        try entries().map(\.0)
    }

    /// The secrets as `(name, value)` pairs in file order.
    public func entries() throws -> [(String, String)] {
        guard let text = try DotEnv.read(url) else { return [] }
        return try DotEnv.parseOrdered(text, file: url.lastPathComponent)
    }

    /// The secrets as a dictionary.
    public func values() throws -> [String: String] {
        Dictionary(try entries(), uniquingKeysWith: { _, last in last })
    }

    /// Sets secret `name` to `value`, creating the file if needed; other entries keep their place.
    public func put(_ name: String, value: String) throws {
        try Self.validate(name: name)
        var lines = try currentLines()
        let ranges = try entryLines(named: name, in: lines)
        let newLine = DotEnv.line(name: name, value: value)
        if let first = ranges.first {
            for range in ranges.dropFirst().reversed() { lines.removeSubrange(range) }
            lines.replaceSubrange(first, with: [newLine])
        } else {
            if lines.last == "" { lines.removeLast() }
            lines.append(newLine)
            lines.append("")
        }
        try writeAtomically(lines.joined(separator: "\n"))
    }

    /// Removes secret `name`.
    /// - Returns: whether the file had it.
    @discardableResult
    public func delete(_ name: String) throws -> Bool {
        try Self.validate(name: name)
        var lines = try currentLines()
        let ranges = try entryLines(named: name, in: lines)
        guard !ranges.isEmpty else { return false }
        for range in ranges.reversed() { lines.removeSubrange(range) }
        try writeAtomically(lines.joined(separator: "\n"))
        return true
    }

    /// The file's lines (split on `\n` only), `[""]`-like empty for a missing file.
    private func currentLines() throws -> [String] {
        guard let text = try DotEnv.read(url), !text.isEmpty else { return [] }
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// The line ranges of every entry named `name`, in order.
    private func entryLines(named name: String, in lines: [String]) throws -> [ClosedRange<Int>] {
        var scanner = DotEnvScanner(lines.joined(separator: "\n"), file: url.lastPathComponent)
        return try scanner.scan().filter { $0.name == name }.map(\.lines)
    }

    /// Writes `text` to a fresh 0600 file beside ``url`` and renames it over ``url``.
    private func writeAtomically(_ text: String) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(String(UInt64.random(in: .min ... .max), radix: 16)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SecretsFileError.system("cannot create a file in \(directory.path)") }
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary.path) }
        }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else { throw SecretsFileError.system("cannot set permissions") }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw SecretsFileError.system("cannot write \(temporary.path)") }
                bytes = bytes.dropFirst(written)
            }
            guard fsync(descriptor) == 0 else { throw SecretsFileError.system("cannot flush \(temporary.path)") }
        }
        guard rename(temporary.path, url.path) == 0 else { throw SecretsFileError.system("cannot replace \(url.path)") }
        succeeded = true
    }
}

/// Why a secrets file could not be edited.
public struct SecretsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    public var description: String { message }

    static func system(_ message: String) -> SecretsFileError {
        SecretsFileError(message: "\(message): \(String(cString: strerror(errno)))")
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
