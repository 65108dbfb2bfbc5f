/// The changes of the key set, as pure steps over the record and the time: the I/O layer (``SigningKeys``) reads
/// the record, applies one of these and commits the result only if the record is unchanged.
extension SigningKeySet {
    /// What refuses a change.
    enum Refusal: Error, Equatable {
        /// No key has this id.
        case unknownKey(String)
        /// The key is the current one: removing it would leave nothing to sign with.
        case currentKey(String)
    }

    /// The set with `newKey` as its first key (the record had none).
    func starting(with newKey: StoredSigningKey) -> SigningKeySet {
        SigningKeySet(keys: [newKey])
    }

    /// The set after a rotation at `now`: `newKey` becomes current; the old current key is retired and stays
    /// published until `now + retention` (its last token has expired by then, and every process has re-read the
    /// set and stopped signing with it); retired keys no longer published are dropped.
    /// - Parameters:
    ///   - newKey: The freshly generated key (not retired).
    ///   - now: Seconds since the epoch.
    ///   - retention: ``AccessTokenSigning/retention``.
    func rotated(to newKey: StoredSigningKey, now: Int, retention: Int) -> SigningKeySet {
        var kept = keys.filter { $0.isPublished(at: now) }
        for index in kept.indices where kept[index].retiredAt == nil {
            kept[index].retiredAt = now
            kept[index].publishUntil = now + retention
        }
        kept.append(newKey)
        return SigningKeySet(keys: kept)
    }

    /// The set without the key `kid`, at once (for a compromised key: its tokens stop verifying). Retired keys no
    /// longer published at `now` are dropped too.
    /// - Throws: ``Refusal/currentKey(_:)`` for the current key (rotate first, then remove the retired key),
    ///   ``Refusal/unknownKey(_:)`` when there is none.
    func removing(_ kid: String, now: Int) throws(Refusal) -> SigningKeySet {
        guard let key = key(kid) else { throw .unknownKey(kid) }
        guard key.retiredAt != nil else { throw .currentKey(kid) }
        return SigningKeySet(keys: keys.filter { $0.kid != kid && $0.isPublished(at: now) })
    }
}
