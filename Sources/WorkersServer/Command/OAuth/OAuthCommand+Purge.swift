import ArgumentParser
import WorkersOAuthProvider
import WorkersRuntime

extension OAuthCommand {
    /// Runs ``WorkersOAuthProvider/OAuthHelpers/purgeExpiredData(_:)`` with its cursor until the sweep is done.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete expired and orphaned grants and tokens (the whole store, a batch at a time)."
        )

        @OptionGroup var store: OAuthCommand.Store
        @Option(help: "Keys examined per phase per batch.") var batchSize = 500

        func validate() throws {
            if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        }

        func run() async throws {
            let helpers = try store.helpers()
            var total = PurgeResult()
            var cursor: String?
            var batches = 0
            repeat {
                let result = try await helpers.purgeExpiredData(PurgeOptions(batchSize: batchSize, cursor: cursor))
                batches += 1
                total.grantsChecked += result.grantsChecked
                total.grantsPurged += result.grantsPurged
                total.tokensChecked += result.tokensChecked
                total.tokensPurged += result.tokensPurged
                cursor = result.done ? nil : result.cursor
                printToStandardError(
                    "purge: batch \(batches): \(total.grantsChecked) grants checked, \(total.grantsPurged) purged; "
                        + "\(total.tokensChecked) tokens checked, \(total.tokensPurged) purged"
                )
            } while cursor != nil
            let summary: JSONValue = [
                "batches": .number(Double(batches)),
                "grantsChecked": .number(Double(total.grantsChecked)),
                "grantsPurged": .number(Double(total.grantsPurged)),
                "tokensChecked": .number(Double(total.tokensChecked)),
                "tokensPurged": .number(Double(total.tokensPurged)),
            ]
            var table = TextTable(["", "CHECKED", "PURGED"])
            table.append(["grants", "\(total.grantsChecked)", "\(total.grantsPurged)"])
            table.append(["tokens", "\(total.tokensChecked)", "\(total.tokensPurged)"])
            try store.print(summary, orTable: table)
        }
    }
}
