import Foundation
import WorkersRuntime

extension StoredToken {
    /// Decodes a stored token record as its `Decodable` conformance does, but field by field with ``PropsJSON``'s
    /// scanner: every API request reads one, and `JSONDecoder`'s generic per-field decoding (or building a
    /// dictionary of the whole record) was a large share of the request's cost.
    ///
    /// Unknown members are skipped, as `JSONDecoder` skips them. `nil` when the record holds anything this reader
    /// does not handle exactly like `JSONDecoder` (a missing, repeated or mistyped field, escapes in strings, a
    /// non-integer timestamp): decode it with `JSONDecoder` then, which also gives the precise error.
    init?(record data: Data) {
        var fields = Fields()
        var reader = PropsJSON(data)
        do {
            try reader.members { reader, name throws(PropsJSON.Unsupported) in try fields.read(name, from: &reader) }
            try reader.end()
        } catch {
            return nil
        }
        guard let id = fields.id, let grantId = fields.grantId, let userId = fields.userId,
            let createdAt = fields.createdAt, let expiresAt = fields.expiresAt, let scope = fields.scope,
            let wrappedEncryptionKey = fields.wrappedEncryptionKey, let grant = fields.grant
        else { return nil }
        self.init(
            id: id, grantId: grantId, userId: userId, createdAt: createdAt, expiresAt: expiresAt,
            audience: fields.audience ?? nil, scope: scope, wrappedEncryptionKey: wrappedEncryptionKey, grant: grant
        )
    }

    /// The members read so far; each may appear once.
    private struct Fields {
        var id: String?
        var grantId: String?
        var userId: String?
        var createdAt: Int?
        var expiresAt: Int?
        /// `.some(nil)` once an explicit `null` was read.
        var audience: ResourceList??
        var scope: [String]?
        var wrappedEncryptionKey: String?
        var grant: GrantInfo?

        mutating func read(_ name: String, from reader: inout PropsJSON) throws(PropsJSON.Unsupported) {
            switch name {
            case "id": try Self.once(&id, reader.string())
            case "grantId": try Self.once(&grantId, reader.string())
            case "userId": try Self.once(&userId, reader.string())
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

        private static func grant(_ reader: inout PropsJSON) throws(PropsJSON.Unsupported) -> GrantInfo {
            var clientId: String?
            var scope: [String]?
            var encryptedProps: String?
            try reader.members { reader, name throws(PropsJSON.Unsupported) in
                switch name {
                case "clientId": try once(&clientId, reader.string())
                case "scope": try once(&scope, reader.strings())
                case "encryptedProps": try once(&encryptedProps, reader.string())
                default: try reader.skipValue()
                }
            }
            guard let clientId, let scope, let encryptedProps else { throw PropsJSON.Unsupported() }
            return GrantInfo(clientId: clientId, scope: scope, encryptedProps: encryptedProps)
        }

        private static func once<T>(_ slot: inout T?, _ value: T) throws(PropsJSON.Unsupported) {
            guard slot == nil else { throw PropsJSON.Unsupported() }
            slot = value
        }
    }
}
