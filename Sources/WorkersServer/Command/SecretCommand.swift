import ArgumentParser
import Foundation
import WorkersRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `secret put|list|delete|generate`: manage the `.dev.vars` secrets like `wrangler secret`.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Manage secrets in .dev.vars (mode 0600).",
        subcommands: [Put.self, List.self, Delete.self, Generate.self]
    )

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a secret. The value is read from a hidden prompt or from standard input, never from arguments."
        )

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The secret's name.") var name: String

        func run() async throws {
            let config = try options.loadConfig()
            let file = options.secretsFile(for: config)
            let value = try SecretInput.read(prompt: "Enter a secret value: ")
            guard !value.isEmpty else { throw CommandError("The secret value is empty; nothing was stored") }
            try file.put(name, value: value)
            printToStandardError("✨ Stored secret \(name) in \(file.url.path)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List secret names as JSON (values are never shown).")

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try options.loadConfig()
            let names = try options.secretsFile(for: config).list()
            let entries = names.map { ["name": $0, "type": "secret_text"] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a secret.")

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The secret's name.") var name: String

        func run() async throws {
            let config = try options.loadConfig()
            let file = options.secretsFile(for: config)
            guard try file.delete(name) else { throw CommandError("No secret named \(name) in \(file.url.path)") }
            printToStandardError("✨ Deleted secret \(name)")
        }
    }

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a strong random token (32 bytes, base64url), e.g. for MCP_SECRET_TOKEN."
        )

        func run() async throws {
            print(RandomToken.base64URL(byteCount: 32))
        }
    }
}

/// Reads a secret from a terminal with echo off, or from piped standard input.
enum SecretInput {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            printToStandardErrorNoNewline(prompt)
            var original = termios()
            tcgetattr(STDIN_FILENO, &original)
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                printToStandardError("")
            }
            return readLine(strippingNewline: true) ?? ""
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var value = String(decoding: data, as: UTF8.self)
        while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
        return value
    }

    private static func printToStandardErrorNoNewline(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
