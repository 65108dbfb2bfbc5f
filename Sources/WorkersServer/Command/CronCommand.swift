import ArgumentParser
import Foundation
import WorkersRuntime

/// `cron trigger`: run the scheduled handler once, like a cron firing.
struct CronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Run the scheduled handler.",
        subcommands: [Trigger.self]
    )

    struct Trigger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the scheduled handler once and wait for its waitUntil work.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "The cron expression to report (default: the first of [triggers] crons, or \"* * * * *\").")
        var cron: String?

        @Option(help: "Log level.")
        var logLevel: String = "info"

        func run() async throws {
            let logger = LoggingSetup.bootstrap(level: logLevel)
            let (host, worker) = try await WorkerHost.load(options, logger: logger)
            let expression = cron ?? host.config.crons.first ?? "* * * * *"
            _ = try CronExpression(expression)
            let tasks = BackgroundTasks(logger: logger)
            let ctx = ExecutionContext(logger: logger, backgroundTasks: tasks)
            try await worker.scheduled(ScheduledController(cron: expression, scheduledTime: Date()), env: host.env, ctx: ctx)
            await tasks.drain()
            printToStandardError("Ran scheduled event for \"\(expression)\"")
        }
    }
}
