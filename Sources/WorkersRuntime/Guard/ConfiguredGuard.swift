public import Logging

/// Makes the guard of one `[swift_workers.*]` protection table, for zero-code protection: `serve` wraps the whole
/// worker in the guards its configuration asks for.
///
/// `[swift_workers.bearer_token]` is built in (``bearerToken``). Other tables come with the library that
/// implements them, so that a worker pays for a dependency only when it uses it: `[swift_workers.access]` needs
/// `import WorkersAccess` and `.access` passed to `WorkerCommand.main(protections:)`.
///
/// ```swift
/// await WorkerCommand.main(protections: [.access]) { env in try makeWorker(env) }
/// ```
public struct ConfiguredGuard: Sendable {
    /// The table it reads (`access` for `[swift_workers.access]`), for messages.
    public let table: String
    private let make: @Sendable (WorkerConfig.Protection, Env, Logger) throws -> (any RequestGuard)?

    /// A factory for `[swift_workers.<table>]`.
    /// - Parameters:
    ///   - table: The table's name under `[swift_workers]`.
    ///   - make: The guard for the configuration, or `nil` when the table is not configured; throwing refuses to
    ///     start with the error's description.
    public init(
        table: String,
        make: @escaping @Sendable (_ protection: WorkerConfig.Protection, _ env: Env, _ logger: Logger) throws -> (any RequestGuard)?
    ) {
        self.table = table
        self.make = make
    }

    /// The guard `protection` asks for, or `nil` when this factory's table is not configured.
    public func makeGuard(_ protection: WorkerConfig.Protection, env: Env, logger: Logger) throws -> (any RequestGuard)? {
        try make(protection, env, logger)
    }

    /// `[swift_workers.bearer_token]`: ``BearerTokenGuard`` over the named secrets; refuses to start when none of
    /// them is set.
    public static let bearerToken = ConfiguredGuard(table: "bearer_token") { protection, env, logger in
        guard let bearer = protection.bearerToken else { return nil }
        let requestGuard = BearerTokenGuard(secretNames: bearer.secrets)
        guard !requestGuard.acceptedTokens(in: env).isEmpty else {
            throw ConfiguredGuardError(
                "[swift_workers.bearer_token] needs one of its secrets set (\(bearer.secrets.joined(separator: ", "))): run `secret put \(bearer.secrets[0])`"
            )
        }
        logger.info("Every request needs a bearer token (\(bearer.secrets.joined(separator: " or ")))")
        return requestGuard
    }
}

/// A `[swift_workers.*]` protection table cannot be applied; the message says how to fix it.
public struct ConfiguredGuardError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    /// Creates an error with its message.
    public init(_ description: String) { self.description = description }
}
