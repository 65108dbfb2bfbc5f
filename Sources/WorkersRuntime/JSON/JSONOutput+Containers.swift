import Foundation

/// An object in a ``JSONOutput``: each member is written as it is encoded.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let serial: Int
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        output.writeNull()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        output.writeString(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        output.writeBool(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        output.writeInteger(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        try output.writeDouble(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try output.beginMember(key.stringValue, in: serial)
        try output.writeValue(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = (try? output.beginMember(key.stringValue, in: serial)).map { output.open(.object) }
        if nested == nil { output.needsFallback = true }
        return KeyedEncodingContainer(
            JSONKeyedContainer<NestedKey>(output: output, serial: nested ?? -1, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = (try? output.beginMember(key.stringValue, in: serial)).map { output.open(.array) }
        if nested == nil { output.needsFallback = true }
        return JSONUnkeyedContainer(output: output, serial: nested ?? -1, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { JSONFallbackEncoder(output: output, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONFallbackEncoder(output: output, codingPath: codingPath + [key])
    }
}

/// An array in a ``JSONOutput``.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let serial: Int
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(output: JSONOutput, serial: Int, codingPath: [any CodingKey]) {
        self.output = output
        self.serial = serial
        self.codingPath = codingPath
    }

    mutating func encodeNil() throws {
        try output.beginElement(in: serial)
        output.writeNull()
        count += 1
    }

    mutating func encode(_ value: String) throws {
        try output.beginElement(in: serial)
        output.writeString(value)
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try output.beginElement(in: serial)
        try output.writeValue(value, codingPath: codingPath + [JSONIndexKey(index: count)])
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = (try? output.beginElement(in: serial)).map { output.open(.object) }
        if nested == nil { output.needsFallback = true }
        count += 1
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(output: output, serial: nested ?? -1, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = (try? output.beginElement(in: serial)).map { output.open(.array) }
        if nested == nil { output.needsFallback = true }
        count += 1
        return JSONUnkeyedContainer(output: output, serial: nested ?? -1, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { JSONFallbackEncoder(output: output, codingPath: codingPath) }
}

/// A single value in a ``JSONOutput``: written once, where the value stands.
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let output: JSONOutput
    let depth: Int
    let start: Int
    let codingPath: [any CodingKey]

    /// Refuses a second value, or a value after a container: neither is one JSON value.
    private func begin() throws(JSONOutput.Unsupported) {
        guard output.count == start, output.depth == depth else { throw JSONOutput.Unsupported() }
    }

    mutating func encodeNil() throws {
        try begin()
        output.writeNull()
    }

    mutating func encode(_ value: String) throws {
        try begin()
        output.writeString(value)
    }

    mutating func encode(_ value: Bool) throws {
        try begin()
        output.writeBool(value)
    }

    mutating func encode(_ value: Int) throws {
        try begin()
        output.writeInteger(value)
    }

    mutating func encode(_ value: Double) throws {
        try begin()
        try output.writeDouble(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try output.writeValue(value, codingPath: codingPath)
    }
}

/// What `superEncoder` returns: one pass cannot place it, so the value goes to `JSONEncoder`.
struct JSONFallbackEncoder: Encoder {
    let output: JSONOutput
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(output: JSONOutput, codingPath: [any CodingKey]) {
        self.output = output
        self.codingPath = codingPath
        output.needsFallback = true
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedContainer<Key>(output: output, serial: -1, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(output: output, serial: -1, codingPath: codingPath)
    }
    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(output: output, depth: -1, start: -1, codingPath: codingPath)
    }
}

/// The coding key of an array element.
struct JSONIndexKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    init(index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(index: intValue) }
}

/// The values ``JSONOutput`` writes itself instead of calling their `encode(to:)` (which for these comes straight
/// back to the writer through a container's default `encode(Int8)` and the like).
protocol JSONWritablePrimitive {
    func write(to output: JSONOutput) throws
}

extension Int8: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension Int16: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension Int32: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension Int64: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension UInt: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension UInt8: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension UInt16: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension UInt32: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension UInt64: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeInteger(self) } }
extension Float: JSONWritablePrimitive { func write(to output: JSONOutput) throws { try output.writeFloat(self) } }
/// `JSONEncoder` writes `Data` as Base64 by default.
extension Data: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeString(base64EncodedString()) } }
/// `JSONEncoder` writes a `URL` as its absolute string.
extension URL: JSONWritablePrimitive { func write(to output: JSONOutput) { output.writeString(absoluteString) } }
