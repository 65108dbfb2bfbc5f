/// Serialises the read-modify-write of one grant within this process.
///
/// KV has no compare-and-swap, so two requests redeeming the same authorization code at the same moment could both
/// read the unused code and both get tokens (the anchor on Workers KV has this race). On a single host we close it:
/// every token-endpoint operation on a grant holds that grant's lock, so the second request sees the code as used
/// (and, as for any replay, the grant is revoked). Different grants never wait for each other.
actor GrantLock {
    /// The process-wide lock set (several providers sharing one store must share it too).
    static let shared = GrantLock()

    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while holding the lock of `key`.
    nonisolated func withLock<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let result = try await body()
            await release(key)
            return result
        } catch {
            await release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        if held.insert(key).inserted { return }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        guard var queue = waiters[key], !queue.isEmpty else {
            held.remove(key)
            return
        }
        let next = queue.removeFirst()
        waiters[key] = queue.isEmpty ? nil : queue
        next.resume()  // ownership passes straight to the next waiter; `key` stays held
    }
}
