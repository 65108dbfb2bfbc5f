/// Key comparisons as Workers KV makes them: on UTF-8 bytes.
///
/// Swift's `String` equality and ordering follow Unicode canonical equivalence, so `"é"` (U+00E9) equals
/// `"e\u{301}"`; Workers KV treats them as two different keys. Every backend compares keys through these helpers.
package enum KVKeyOrder {
    /// Whether `lhs` sorts before `rhs` by UTF-8 bytes.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Whether two keys have the same UTF-8 bytes.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Whether `key` starts with the bytes of `prefix`.
    static func hasPrefix(_ key: String, _ prefix: String) -> Bool {
        key.utf8.starts(with: prefix.utf8)
    }

    /// The smallest byte string greater than every string that starts with `prefix`, or `nil` when there is none
    /// (an empty prefix, or one made only of `0xFF` bytes).
    package static func upperBound(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last < 0xFF {
                bound[bound.count - 1] = last + 1
                return bound
            }
            bound.removeLast()
        }
        return nil
    }
}
