import Foundation
import WorkersRuntime

extension StoredToken {
    /// Decodes a stored token record as its `Decodable` conformance does, but through ``PropsJSON``: every API
    /// request reads one, and `JSONDecoder`'s per-field generic decoding was a large share of the request's cost.
    ///
    /// `nil` when the record holds anything unexpected (a missing or mistyped field, escapes in strings, a
    /// non-integer timestamp); decode it with `JSONDecoder` then, which also gives the precise error.
    init?(record data: Data) {
        guard case .object(let fields)? = try? PropsJSON.parse(data), case .object(let grant)? = fields["grant"],
            let id = Self.string(fields["id"]), let grantId = Self.string(fields["grantId"]),
            let userId = Self.string(fields["userId"]), let createdAt = Self.integer(fields["createdAt"]),
            let expiresAt = Self.integer(fields["expiresAt"]), let scope = Self.strings(fields["scope"]),
            let wrappedEncryptionKey = Self.string(fields["wrappedEncryptionKey"]),
            let clientId = Self.string(grant["clientId"]), let grantScope = Self.strings(grant["scope"]),
            let encryptedProps = Self.string(grant["encryptedProps"])
        else { return nil }
        let audience: ResourceList?
        switch fields["audience"] {
        case nil, .null?: audience = nil
        case .string(let single)?: audience = ResourceList([single])
        case let value?:
            guard let values = Self.strings(value) else { return nil }
            audience = ResourceList(values)
        }
        self.init(
            id: id, grantId: grantId, userId: userId, createdAt: createdAt, expiresAt: expiresAt, audience: audience,
            scope: scope, wrappedEncryptionKey: wrappedEncryptionKey,
            grant: GrantInfo(clientId: clientId, scope: grantScope, encryptedProps: encryptedProps)
        )
    }

    private static func string(_ value: JSONValue?) -> String? {
        if case .string(let string)? = value { return string }
        return nil
    }

    private static func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for item in items {
            guard case .string(let string) = item else { return nil }
            strings.append(string)
        }
        return strings
    }

    /// An integral number exactly representable as a Double (timestamps are about 2^31).
    private static func integer(_ value: JSONValue?) -> Int? {
        guard case .number(let number)? = value, number == number.rounded(), abs(number) <= 9_007_199_254_740_992
        else { return nil }
        return Int(number)
    }
}
