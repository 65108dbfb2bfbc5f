import Foundation
import WorkersKV
import WorkersRuntime

/// One element of a wrangler bulk file (`wrangler kv bulk put`), checked: an object
/// `{key, value, expiration?, expiration_ttl?, metadata?, base64?}` whose `key` and `value` are strings (`value` is
/// base64 when `base64` is true), `expiration` and `expiration_ttl` whole numbers of seconds, `metadata` any JSON
/// object or array, within the Workers KV limits (``WorkersKV/KVLimits``).
struct KVBulkRecord: Equatable {
    /// The properties wrangler's format has; any other one is reported, not refused (as wrangler does).
    static let knownProperties: Set<String> = ["key", "value", "expiration", "expiration_ttl", "metadata", "base64"]

    /// Why an element is not a valid record.
    struct Invalid: Error, Equatable, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    var key: String
    var value: Data
    var options: KVPutOptions
    /// Properties outside ``knownProperties``, sorted.
    var unknownProperties: [String] = []

    init(key: String, value: Data, options: KVPutOptions = KVPutOptions()) {
        self.key = key
        self.value = value
        self.options = options
    }

    /// Parses and checks one element's JSON at time `now` (the KV rule that an absolute expiration is at least 60 s
    /// ahead is checked against it).
    /// - Throws: ``Invalid`` with the reason.
    init(json bytes: [UInt8], now: Date) throws(Invalid) {
        let parsed: JSONValue
        do { parsed = try JSONValue(parsing: Data(bytes)) } catch {
            throw Invalid(reason: "not valid JSON")
        }
        guard case .object(let object) = parsed else {
            throw Invalid(reason: "not an object but \(Self.kind(of: parsed))")
        }
        guard let keyValue = object["key"] else { throw Invalid(reason: "no \"key\"") }
        guard case .string(let key) = keyValue else { throw Invalid(reason: "\"key\" is \(Self.kind(of: keyValue)), not a string") }
        guard let valueValue = object["value"] else { throw Invalid(reason: "no \"value\"") }
        guard case .string(let text) = valueValue else {
            throw Invalid(reason: "\"value\" is \(Self.kind(of: valueValue)), not a string")
        }
        var base64 = false
        if let flag = object["base64"] {
            guard case .bool(let isBase64) = flag else { throw Invalid(reason: "\"base64\" is \(Self.kind(of: flag)), not a boolean") }
            base64 = isBase64
        }
        let value: Data
        if base64 {
            guard let decoded = Data(base64Encoded: text) else { throw Invalid(reason: "\"value\" is not valid base64") }
            value = decoded
        } else {
            value = Data(text.utf8)
        }
        var options = KVPutOptions()
        options.expiration = try Self.seconds(object["expiration"], name: "expiration")
        options.expirationTtl = try Self.seconds(object["expiration_ttl"], name: "expiration_ttl")
        switch object["metadata"] {
        case nil, .null?: break
        case .object?, .array?: options.metadata = object["metadata"]
        case let other?: throw Invalid(reason: "\"metadata\" is \(Self.kind(of: other)), not an object")
        }
        do {
            _ = try KVLimits.validatePut(key: key, valueBytes: value.count, options: options, now: now)
        } catch let error as KVError {
            throw Invalid(reason: error.message)
        } catch {
            throw Invalid(reason: "\(error)")
        }
        self.init(key: key, value: value, options: options)
        unknownProperties = object.keys.filter { !Self.knownProperties.contains($0) }.sorted()
    }

    /// A whole number of seconds, or `nil` when absent.
    private static func seconds(_ value: JSONValue?, name: String) throws(Invalid) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value else { throw Invalid(reason: "\"\(name)\" is \(kind(of: value)), not a number") }
        guard number.rounded() == number, abs(number) < 1e15 else {
            throw Invalid(reason: "\"\(name)\" is \(number), not a whole number of seconds")
        }
        return Int(number)
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
