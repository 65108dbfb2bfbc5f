import Foundation
import Hummingbird
import Logging
import WorkersHummingbird
import WorkersRuntime

/// `hummingbird-app`: serves ``HummingbirdApp`` on `HOST:PORT` (default `127.0.0.1:8080`).
///
/// The provider's state lives in the `OAUTH_KV` binding of the `wrangler.json(c)`/`wrangler.toml` found from the
/// current directory, or, without one, in a SQLite file under `.wrangler/state`. Set `PUBLIC_ORIGIN` when clients
/// reach the app through a proxy or over TLS.
@main
struct HummingbirdAppMain {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "hummingbird-app")
        logger.logLevel = .info
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let config = try WorkerConfig.find(startingAt: directory).map { try WorkerConfig.load(from: $0) }
            ?? WorkerConfig(kvNamespaces: [KVNamespaceConfig(binding: "OAUTH_KV")], directory: directory)
        let secrets = try SecretsFile(config: config, environment: nil).values()
        let env = try Env.withBindings(of: config, secrets: secrets, logger: logger)

        let configuration = WorkerBridgeConfiguration(publicOrigin: environment["PUBLIC_ORIGIN"].flatMap(URL.init(string:)))
        let router = try HummingbirdApp.router(env: env, configuration: configuration)
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(environment["HOST"] ?? "127.0.0.1", port: environment["PORT"].flatMap(Int.init) ?? 8080)),
            logger: logger)
        try await app.runService()
    }
}
