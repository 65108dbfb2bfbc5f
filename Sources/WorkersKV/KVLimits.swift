public import Foundation
import WorkersRuntime

/// The limits of Workers KV, enforced identically by every backend.
public enum KVLimits {
    /// Longest key, in UTF-8 bytes.
    public static let maxKeyBytes = 512
    /// Largest value, in bytes (25 MiB).
    public static let maxValueBytes = 25 * 1024 * 1024
    /// Largest serialised metadata, in bytes.
    public static let maxMetadataBytes = 1024
    /// Shortest expiration TTL, and how far in the future an absolute expiration must be, in seconds.
    public static let minExpirationTtl = 60
    /// Largest (and default) `list` page.
    public static let maxListLimit = 1000

    /// Checks a key for `operation`.
    public static func validateKey(_ key: String, operation: String) throws {
        if key.isEmpty {
            throw KVError(operation: operation, status: 400, message: "Key names must not be empty.")
        }
        if key == "." || key == ".." {
            throw KVError(operation: operation, status: 400, message: "Illegal key name \"\(key)\". Please use a different name.")
        }
        let length = key.utf8.count
        if length > maxKeyBytes {
            throw KVError(
                operation: operation,
                status: 414,
                message: "UTF-8 encoded length of \(length) exceeds key length limit of \(maxKeyBytes)."
            )
        }
    }

    /// Checks a put and returns the absolute expiration (seconds since the epoch) and serialised metadata to store.
    public static func validatePut(
        key: String,
        valueBytes: Int,
        options: KVPutOptions,
        now: Date
    ) throws -> (expiration: Int?, metadata: Data?) {
        try validateKey(key, operation: "PUT")
        if valueBytes > maxValueBytes {
            throw KVError(
                operation: "PUT",
                status: 413,
                message: "Value length of \(valueBytes) exceeds limit of \(maxValueBytes)."
            )
        }
        let nowSeconds = Int(now.timeIntervalSince1970.rounded(.down))
        var expiration: Int?
        if let ttl = options.expirationTtl {
            guard ttl >= minExpirationTtl else {
                throw KVError(
                    operation: "PUT",
                    status: 400,
                    message: "Invalid expiration_ttl of \(ttl). Expiration TTL must be at least \(minExpirationTtl)."
                )
            }
            expiration = nowSeconds + ttl
        }
        if let absolute = options.expiration {
            guard absolute >= nowSeconds + minExpirationTtl else {
                throw KVError(
                    operation: "PUT",
                    status: 400,
                    message: "Invalid expiration of \(absolute). Expiration times must be at least \(minExpirationTtl) seconds in the future."
                )
            }
            expiration = expiration.map { min($0, absolute) } ?? absolute
        }
        var metadata: Data?
        if let value = options.metadata {
            let data = try value.jsonData()
            if data.count > maxMetadataBytes {
                throw KVError(
                    operation: "PUT",
                    status: 413,
                    message: "Metadata length of \(data.count) exceeds limit of \(maxMetadataBytes)."
                )
            }
            metadata = data
        }
        return (expiration, metadata)
    }

    /// Checks list options.
    public static func validateList(_ options: KVListOptions) throws {
        guard (1...maxListLimit).contains(options.limit) else {
            throw KVError(
                operation: "LIST",
                status: 400,
                message: "Invalid key_count_limit of \(options.limit). Please specify an integer between 1 and \(maxListLimit)."
            )
        }
    }

    /// The opaque cursor that resumes after `lastKey`.
    public static func cursor(after lastKey: String) -> String {
        Data(lastKey.utf8).base64URLEncodedString()
    }

    /// The key a cursor resumes after.
    public static func key(fromCursor cursor: String) throws -> String {
        guard let data = Data(base64URLEncoded: cursor), let key = String(data: data, encoding: .utf8) else {
            throw KVError(operation: "LIST", status: 400, message: "Invalid cursor.")
        }
        return key
    }

    /// Whether an entry with `expiration` is expired at `now`.
    public static func isExpired(_ expiration: Int?, now: Date) -> Bool {
        guard let expiration else { return false }
        return Double(expiration) <= now.timeIntervalSince1970
    }
}
