import ArgumentParser
import Foundation
import Logging
import WorkersKV
import WorkersRuntime

/// `kv key put|get|delete|list` and `kv bulk put|get|delete|export`: work with a KV binding's local data, like
/// `wrangler kv key ... --local` and `wrangler kv bulk ... --local`.
struct KVCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kv",
        abstract: "Read and write KV namespaces' local data.",
        subcommands: [Key.self, Bulk.self]
    )

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with keys of a namespace.",
            subcommands: [Put.self, Get.self, Delete.self, List.self]
        )
    }

    /// Options naming the namespace.
    struct Target: ParsableArguments {
        @OptionGroup var options: ConfigOptions

        @Option(help: "The binding name from [[kv_namespaces]].")
        var binding: String

        @Flag(help: "Accepted for wrangler compatibility; data is always local.")
        var local = false

        func open() throws -> any KVNamespace {
            var logger = Logger(label: "workers.kv")
            logger.logLevel = .warning
            let config = try options.loadConfig()
            // The secrets a database backend's connection URL may come from (`DATABASE_URL` in `.dev.vars`).
            let secrets = try options.secretsFile(for: config).values()
            let host = try WorkerHost(config: config, secrets: secrets, varOverrides: [:], logger: logger)
            return try host.kv(binding)
        }
    }

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a value (from the argument, --path, or standard input).")

        @OptionGroup var target: Target
        @Argument(help: "The key.") var key: String
        @Argument(help: "The value (omit to use --path or standard input).") var value: String?
        @Option(help: "Read the value from this file.") var path: String?
        @Option(help: "Expire after this many seconds (at least 60).") var ttl: Int?
        @Option(help: "Expire at this time, in seconds since the epoch.") var expiration: Int?
        @Option(help: "JSON metadata to store with the value.") var metadata: String?

        func run() async throws {
            let bytes: Data
            if let value {
                bytes = Data(value.utf8)
            } else if let path {
                bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            } else {
                bytes = FileHandle.standardInput.readDataToEndOfFile()
            }
            let parsedMetadata = try metadata.map { text in
                do { return try JSONValue(parsing: Data(text.utf8)) } catch {
                    throw ValidationError("--metadata is not valid JSON")
                }
            }
            let namespace = try target.open()
            try await namespace.put(
                key,
                bytes: bytes,
                options: KVPutOptions(expiration: expiration, expirationTtl: ttl, metadata: parsedMetadata)
            )
            printToStandardError("Wrote \(bytes.count) bytes to \(key) in \(target.binding)")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a value (exit 1 when the key is missing).")

        @OptionGroup var target: Target
        @Argument(help: "The key.") var key: String

        func run() async throws {
            guard let entry = try await target.open().getEntry(key) else {
                printToStandardError("Value not found")
                throw ExitCode(1)
            }
            FileHandle.standardOutput.write(entry.value)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a key.")

        @OptionGroup var target: Target
        @Argument(help: "The key.") var key: String

        func run() async throws {
            try await target.open().delete(key)
            printToStandardError("Deleted \(key) from \(target.binding)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys as JSON (every page).")

        @OptionGroup var target: Target
        @Option(help: "Only keys starting with this prefix.") var prefix: String?

        func run() async throws {
            let namespace = try target.open()
            var keys: [JSONValue] = []
            var cursor: String?
            repeat {
                let page = try await namespace.list(prefix: prefix, cursor: cursor)
                for key in page.keys {
                    var entry: [String: JSONValue] = ["name": .string(key.name)]
                    if let expiration = key.expiration { entry["expiration"] = .number(Double(expiration)) }
                    if let metadata = key.metadata { entry["metadata"] = metadata }
                    keys.append(.object(entry))
                }
                cursor = page.listComplete ? nil : page.cursor
            } while cursor != nil
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(keys), as: UTF8.self))
        }
    }
}
