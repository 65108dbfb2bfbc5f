import ArgumentParser
import Foundation
import WorkersKV
import WorkersRuntime

extension KVCommand {
    /// `kv bulk put|get|delete|export`: many keys at once, in wrangler's bulk file format.
    struct Bulk: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with many keys at once, in wrangler's bulk format.",
            subcommands: [BulkPut.self, BulkGet.self, BulkDelete.self, BulkExport.self]
        )
    }

    struct BulkPut: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "put",
            abstract: "Import a bulk file: a JSON array of {key, value, expiration?, expiration_ttl?, metadata?, base64?}.",
            discussion: """
                The file is read in chunks, so its size does not matter. Records are written in batches, each in one \
                transaction. A bad record is reported with its 0-based index; with --on-error stop (the default) the \
                import stops there, keeping the batches already written and dropping the one the record would have \
                joined; with --on-error skip it is left out. A file that is not one complete JSON array stops the \
                import in either mode. Exit status: 0 when the whole file was read, 1 when the import stopped.
                """
        )

        @OptionGroup var target: Target
        @Argument(help: "The bulk file (JSON array).") var filename: String
        @Option(help: "Records per batch (one transaction).") var batchSize = 1000
        @Option(help: "What to do with a bad record: stop or skip.") var onError = KVBulkImporter.OnError.stop
        @Flag(help: "Check every record and write nothing.") var dryRun = false

        func validate() throws {
            guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
        }

        func run() async throws {
            let file = try KVBulkInputFile(path: filename)
            let namespace = try target.openAtomic()
            var options = KVBulkImporter.Options()
            options.batchSize = batchSize
            options.onError = onError
            options.dryRun = dryRun
            let progress = KVBulkProgress(verb: dryRun ? "Checked" : "Imported", totalBytes: file.size)
            let importer = KVBulkImporter(namespace: namespace, options: options, now: Date.init)
            let summary = try await importer.run(file, progress: progress) { printToStandardError($0) }
            let seconds = String(format: "%.1f", progress.elapsedSeconds)
            let batches = "\(summary.batches) batch\(summary.batches == 1 ? "" : "es")"
            let written = dryRun ? "\(summary.written) records valid (dry run: nothing written)" : "Wrote \(summary.written) records in \(batches)"
            // With --on-error stop, the one bad record is named in the "Stopped" line rather than counted as skipped.
            let skipped = onError == .skip || summary.skipped == 0 ? ", skipped \(summary.skipped)" : ""
            let counts = "\(written)\(skipped), read \(KVBulkProgress.size(summary.bytesRead)) in \(seconds) s"
            if let stopped = summary.stopped {
                progress.finish("Stopped: \(stopped). \(counts); nothing after the last whole batch was written.")
                throw ExitCode(1)
            }
            progress.finish("\(counts) into \(target.binding).")
        }
    }

    struct BulkGet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print the values of the keys in a file (a JSON array of names or {\"name\": ...}) as JSON, like wrangler.",
            discussion: "Prints {\"KEY\": {\"value\": TEXT or null}, ...}, as `wrangler kv bulk get --local` does."
        )

        @OptionGroup var target: Target
        @Argument(help: "The file with the keys (JSON array).") var filename: String

        func run() async throws {
            let keys = KVBulkKeyFile(path: filename)
            _ = try await keys.validate()
            let namespace = try target.open()
            let output = KVBulkOutput()
            var first = true
            try output.write("{")
            try await keys.forEachKey { key in
                let value = try await namespace.getEntry(key).map { JSONValue.string($0.text) } ?? .null
                try output.write(first ? "\n  " : ",\n  ")
                try output.write(try JSONWriter.encode(key))
                try output.write(": {\n    \"value\": ")
                try output.write(try JSONWriter.encode(value))
                try output.write("\n  }")
                first = false
            }
            try output.write(first ? "}\n" : "\n}\n")
            try output.finish()
        }
    }

    struct BulkDelete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete the keys in a file (a JSON array of names or {\"name\": ...}), in batches of one transaction each."
        )

        @OptionGroup var target: Target
        @Argument(help: "The file with the keys (JSON array).") var filename: String
        @Flag(name: [.customShort("f"), .long], help: "Do not ask for confirmation.") var force = false

        func run() async throws {
            let keys = KVBulkKeyFile(path: filename)
            let count = try await keys.validate()
            if !force {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandError("Refusing to delete \(count) keys without confirmation: pass --force")
                }
                FileHandle.standardError.write(Data("Delete the \(count) keys in \"\(filename)\" from \(target.binding)? [y/N] ".utf8))
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    printToStandardError("Not deleting keys read from \"\(filename)\".")
                    return
                }
            }
            let namespace = try target.openAtomic()
            var batch: [KVChange] = []
            var deleted = 0
            try await keys.forEachKey { key in
                batch.append(.delete(key: key))
                if batch.count == 1000 {
                    _ = try await namespace.commit(batch, ifUnchanged: [:])
                    deleted += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = try await namespace.commit(batch, ifUnchanged: [:]) }
            deleted += batch.count
            printToStandardError("Deleted \(deleted) keys from \(target.binding)")
        }
    }

    struct BulkExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every key of the namespace as a bulk file that `kv bulk put` imports.",
            discussion: """
                Values are UTF-8 text when valid UTF-8, else base64 with "base64": true; expiration (absolute) and \
                metadata are kept. Not a snapshot: keys written meanwhile may or may not be included.
                """
        )

        @OptionGroup var target: Target
        @Option(help: "Only keys starting with this prefix.") var prefix: String?
        @Option(name: [.customShort("o"), .long], help: "Write to this file (created 0600) instead of standard output.")
        var output: String?

        func run() async throws {
            let namespace = try target.open()
            let sink = try output.map(KVBulkOutput.init(path:)) ?? KVBulkOutput()
            let progress = KVBulkProgress(verb: "Exported", totalBytes: nil, lineEvery: 10_000)
            let summary = try await KVBulkExporter(namespace: namespace, prefix: prefix).run(to: sink, progress: progress)
            let seconds = String(format: "%.1f", progress.elapsedSeconds)
            progress.finish(
                "Exported \(summary.records) records (\(KVBulkProgress.size(summary.valueBytes)) of values) from \(target.binding) in \(seconds) s."
            )
        }
    }
}

extension KVCommand.Target {
    /// The namespace, which must commit atomically (every backend of this package does).
    func openAtomic() throws -> any KVAtomicNamespace {
        let namespace = try open()
        guard let atomic = namespace as? any KVAtomicNamespace else {
            throw CommandError("KV binding '\(binding)' (\(type(of: namespace))) cannot write batches atomically")
        }
        return atomic
    }
}
