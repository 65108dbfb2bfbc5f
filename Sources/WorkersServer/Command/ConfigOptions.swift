import ArgumentParser
import Foundation
import WorkersRuntime

/// Options every subcommand shares: which config file and environment to use.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: [.customShort("c"), .long],
        help: """
            Path to the config file; .json/.jsonc are read as JSON with comments, anything else as TOML \
            (default: wrangler.json, wrangler.jsonc or wrangler.toml, found from the current directory as wrangler does).
            """)
    var config: String?

    @Option(name: [.customShort("e"), .long], help: "Environment from [env.NAME] (\"env\": { \"NAME\": ... } in JSON) to use.")
    var env: String?

    @Option(name: .long, help: "Directory for local state (KV data); default [swift_workers] storage_dir or .wrangler/state.")
    var persistTo: String?

    /// Loads the config file, or an empty configuration rooted at the current directory when there is none.
    func loadConfig() throws -> WorkerConfig {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let file: URL?
        if let config {
            file = URL(fileURLWithPath: config, relativeTo: cwd).standardizedFileURL
        } else {
            file = WorkerConfig.find(startingAt: cwd)
        }
        var loaded: WorkerConfig
        if let file {
            loaded = try WorkerConfig.load(from: file, environment: env)
        } else {
            loaded = try WorkerConfig.parse("", file: "wrangler.toml", directory: cwd, environment: nil)
            if let env {
                throw ValidationError("No wrangler.json, wrangler.jsonc or wrangler.toml found, so environment '\(env)' does not exist")
            }
        }
        if let persistTo {
            loaded.host.storageDir = URL(fileURLWithPath: persistTo, relativeTo: cwd).standardizedFileURL
        }
        return loaded
    }

    /// The `.dev.vars` file this config and environment read secrets from.
    func secretsFile(for config: WorkerConfig) -> SecretsFile {
        SecretsFile(config: config, environment: env)
    }
}
