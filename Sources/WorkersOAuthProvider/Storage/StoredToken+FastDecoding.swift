import Foundation
import WorkersRuntime

extension StoredToken {
    /// Decodes a stored token record as its `Decodable` conformance does, but field by field with ``JSONScanner``'s
    /// scanner: every API request reads one, and `JSONDecoder`'s generic per-field decoding (or building a
    /// dictionary of the whole record) was a large share of the request's cost.
    ///
    /// Unknown members are skipped, as `JSONDecoder` skips them. `nil` when the record holds anything this reader
    /// does not handle exactly like `JSONDecoder` (a missing, repeated or mistyped field, escapes in strings, a
    /// non-integer timestamp): decode it with `JSONDecoder` then, which also gives the precise error.
    init?(record data: Data) {
        var fields = Fields()
        var reader = JSONScanner(data)
        do {
            try reader.members { reader, name throws(JSONScanner.Unsupported) in try fields.read(name, from: &reader) }
            try reader.end()
        } catch {
            return nil
        }
        guard let id = fields.id, let grantID = fields.grantID, let userID = fields.userID,
            let createdAt = fields.createdAt, let expiresAt = fields.expiresAt, let scope = fields.scope,
            let wrappedEncryptionKey = fields.wrappedEncryptionKey, let grant = fields.grant
        else { return nil }
        self.init(
            id: id, grantID: grantID, userID: userID, createdAt: createdAt, expiresAt: expiresAt,
            audience: fields.audience ?? nil, scope: scope, wrappedEncryptionKey: wrappedEncryptionKey, grant: grant
        )
    }

    /// The members read so far; each may appear once.
    private struct Fields {
        var id: String?
        var grantID: String?
        var userID: String?
        var createdAt: Int?
        var expiresAt: Int?
        /// `.some(nil)` once an explicit `null` was read.
        var audience: ResourceList??
        var scope: [String]?
        var wrappedEncryptionKey: String?
        var grant: GrantInfo?

        mutating func read(_ name: String, from reader: inout JSONScanner) throws(JSONScanner.Unsupported) {
            switch name {
            case "id": try Self.once(&id, reader.string())
            case "grantId": try Self.once(&grantID, reader.string())
            case "userId": try Self.once(&userID, reader.string())
            case "createdAt": try Self.once(&createdAt, reader.integer())
            case "expiresAt": try Self.once(&expiresAt, reader.integer())
            case "scope": try Self.once(&scope, reader.strings())
            case "wrappedEncryptionKey": try Self.once(&wrappedEncryptionKey, reader.string())
            case "audience":
                // The anchor's `string | string[]`, or null when absent.
                let value: ResourceList?
                if try reader.null() {
                    value = nil
                } else if try reader.atString() {
                    value = ResourceList([try reader.string()])
                } else {
                    value = ResourceList(try reader.strings())
                }
                try Self.once(&audience, value)
            case "grant": try Self.once(&grant, Self.grant(&reader))
            default: try reader.skipValue()
            }
        }

        private static func grant(_ reader: inout JSONScanner) throws(JSONScanner.Unsupported) -> GrantInfo {
            var clientID: String?
            var scope: [String]?
            var encryptedProps: String?
            try reader.members { reader, name throws(JSONScanner.Unsupported) in
                switch name {
                case "clientId": try once(&clientID, reader.string())
                case "scope": try once(&scope, reader.strings())
                case "encryptedProps": try once(&encryptedProps, reader.string())
                default: try reader.skipValue()
                }
            }
            guard let clientID, let scope, let encryptedProps else { throw JSONScanner.Unsupported() }
            return GrantInfo(clientID: clientID, scope: scope, encryptedProps: encryptedProps)
        }

        private static func once<T>(_ slot: inout T?, _ value: T) throws(JSONScanner.Unsupported) {
            guard slot == nil else { throw JSONScanner.Unsupported() }
            slot = value
        }
    }
}
