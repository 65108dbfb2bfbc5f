public import Foundation

/// What a scheduled (cron) invocation is told: which cron fired and when.
public struct ScheduledController: Sendable, Equatable {
    /// The cron expression exactly as written in `[triggers] crons`.
    public let cron: String
    /// When the invocation was scheduled to run.
    public let scheduledTime: Date
    /// Always `"scheduled"`.
    public var type: String { "scheduled" }

    /// Creates a controller.
    public init(cron: String, scheduledTime: Date) {
        self.cron = cron
        self.scheduledTime = scheduledTime
    }
}

/// Something that runs on a cron schedule: `scheduled(controller, env, ctx)`.
public protocol ScheduledHandling: Sendable {
    /// Runs one scheduled invocation.
    func scheduled(_ controller: ScheduledController, env: Env, ctx: ExecutionContext) async throws
}

/// A scheduled handler made from a closure.
public struct ScheduledHandler: ScheduledHandling {
    private let handle: @Sendable (ScheduledController, Env, ExecutionContext) async throws -> Void

    /// Wraps `handle`.
    public init(_ handle: @escaping @Sendable (ScheduledController, Env, ExecutionContext) async throws -> Void) {
        self.handle = handle
    }

    public func scheduled(_ controller: ScheduledController, env: Env, ctx: ExecutionContext) async throws {
        try await handle(controller, env, ctx)
    }
}
