import Foundation

/// How long a fetched metadata document may be reused, from its response's `Cache-Control` (draft §5.2): `s-maxage`,
/// else `max-age`, capped at 7 days; not at all for `no-cache`, `no-store` or `private`, without a lifetime, or below
/// KV's 60-second minimum TTL (the cache is the KV store, shared by every instance).
enum CIMDCachePolicy {
    /// The longest reuse, whatever the document's host says: 7 days.
    static let maximumSeconds = 7 * 24 * 60 * 60

    /// Seconds to cache for, or `nil` for not at all.
    static func seconds(cacheControl: String?) -> Int? {
        guard let cacheControl else { return nil }
        var maxAge: Int?
        var sharedMaxAge: Int?
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = parts.count > 1
                ? Int(parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))) : nil
            switch name {
            case "no-cache", "no-store", "private": return nil
            case "s-maxage": sharedMaxAge = value.map { max($0, 0) } ?? sharedMaxAge
            case "max-age": maxAge = value.map { max($0, 0) } ?? maxAge
            default: continue
            }
        }
        guard let lifetime = sharedMaxAge ?? maxAge else { return nil }
        let capped = min(lifetime, maximumSeconds)
        return capped >= 60 ? capped : nil
    }
}
