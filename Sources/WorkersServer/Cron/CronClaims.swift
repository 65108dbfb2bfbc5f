import Foundation
import Logging
import WorkersKV
import WorkersRuntime

/// One run per scheduled time across every process that shares a store: before a cron fires, its instance claims
/// the (cron, scheduled time) pair with an atomic commit that succeeds only if nobody has claimed it yet.
///
/// The claim is a key `__swift_workers:cron:<scheduled epoch seconds>:<the cron expression>` put with
/// ``WorkersKV/KVAtomicNamespace/commit(_:ifUnchanged:)`` expecting it absent, kept a day. It holds as far as the
/// store's commits do (`docs/kv.md`): across processes on one SQLite file, across hosts on one PostgreSQL database.
/// A claim that cannot be made (the store is unavailable) skips the run: at most one run per schedule.
struct CronClaims: Sendable {
    /// The key prefix of claims.
    static let prefix = "__swift_workers:cron:"
    /// How long a claim is kept: long past any clock skew between instances.
    static let lifetime = 86_400

    let store: any KVAtomicNamespace
    /// Who claims (host and pid), stored as the claim's value for an operator reading the store.
    let instance: String

    init(store: any KVAtomicNamespace, instance: String = "\(ProcessInfo.processInfo.hostName) pid \(getpid())") {
        self.store = store
        self.instance = instance
    }

    static func key(cron: String, scheduledTime: Date) -> String {
        "\(prefix)\(Int(scheduledTime.timeIntervalSince1970.rounded())):\(cron)"
    }

    /// Whether this instance runs `cron` for `scheduledTime` (it made the claim).
    func claim(cron: String, scheduledTime: Date, logger: Logger) async -> Bool {
        let key = Self.key(cron: cron, scheduledTime: scheduledTime)
        do {
            let claimed = try await store.commit(
                [.put(key: key, value: Data(instance.utf8), options: KVPutOptions(expirationTtl: Self.lifetime))],
                ifUnchanged: [key: nil]
            )
            if !claimed { logger.debug("Cron \"\(cron)\" at \(scheduledTime) runs on another instance") }
            return claimed
        } catch {
            logger.error(
                "Cron \"\(cron)\" skipped: its run could not be claimed in the store",
                metadata: ["error": "\(String(describing: error).escapedForLog)"]
            )
            return false
        }
    }
}
