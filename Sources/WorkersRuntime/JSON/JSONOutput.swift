import Foundation

/// The state of one ``JSONWriter`` pass: the bytes written so far and the containers still open, innermost last.
///
/// Each container knows its place on the stack. Writing into a container first closes any containers opened inside
/// it since (they are finished: their parent moved on); writing into a container that was already closed that way
/// cannot be done in one pass and throws ``Unsupported``, which sends the whole value to `JSONEncoder`.
final class JSONOutput {
    /// This value needs `JSONEncoder` (see ``JSONWriter``'s fallback rule).
    struct Unsupported: Error {}

    enum Kind { case object, array }

    struct Open {
        let serial: Int
        let kind: Kind
        var count = 0
    }

    /// Private, and written only through this class's methods, so the optimizer can drop the dynamic
    /// exclusivity checks that an outside `inout` access to a class property pays on every append.
    private var bytes: [UInt8] = []
    private var stack: [Open] = []
    /// Set when a value used what one pass cannot write (`superEncoder`): the pass's output is not used.
    var needsFallback = false
    private var nextSerial = 0

    init() {
        bytes.reserveCapacity(256)
    }

    // MARK: Containers

    /// Opens a container and returns its serial.
    func open(_ kind: Kind) -> Int {
        bytes.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        nextSerial += 1
        stack.append(Open(serial: nextSerial, kind: kind))
        return nextSerial
    }

    /// Closes every container above stack depth `depth`.
    func close(downTo depth: Int) {
        while stack.count > depth {
            let open = stack.removeLast()
            bytes.append(open.kind == .object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Prepares container `serial` for its next element: closes what was opened inside it, writes the separator.
    /// - Throws: ``Unsupported`` when the container was closed already.
    func beginElement(in serial: Int) throws(Unsupported) {
        guard let position = stack.lastIndex(where: { $0.serial == serial }) else { throw Unsupported() }
        close(downTo: position + 1)
        if stack[position].count > 0 { bytes.append(UInt8(ascii: ",")) }
        stack[position].count += 1
    }

    /// Prepares container `serial` for a member named `key`.
    func beginMember(_ key: String, in serial: Int) throws(Unsupported) {
        try beginElement(in: serial)
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// The serial of the container of `kind` for the value whose container opens at `depth`: the one open there
    /// already when the value asks again (closing what was opened inside it since), else a new one; `-1` (a
    /// container every write refuses) when a container of the other kind is open there.
    func containerSerial(_ kind: Kind, depth: Int) -> Int {
        if stack.count > depth, stack[depth].kind == kind {
            close(downTo: depth + 1)
            return stack[depth].serial
        }
        guard stack.count == depth else { return -1 }
        return open(kind)
    }

    /// The number of containers open.
    var depth: Int { stack.count }

    // MARK: Values

    /// Writes one value at the current position: primitives directly, other values through their `encode(to:)`.
    /// (Every primitive must be caught here: a container's default `encode(Int8)` and the like come back through
    /// this method, so handing one to its own `encode(to:)` would never end.)
    func writeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        // Comparing metatypes is a pointer comparison; a chain of `as?` casts would cost a dynamic cast each.
        if T.self == String.self { return writeString(value as! String) }
        if T.self == Int.self { return writeInteger(value as! Int) }
        if T.self == Bool.self { return writeBool(value as! Bool) }
        if T.self == Double.self { return try writeDouble(value as! Double) }
        if let primitive = value as? any JSONWritablePrimitive { return try primitive.write(to: self) }
        if let selfWriting = value as? any JSONSelfWriting { return try write(selfWriting) }
        if T.self == Decimal.self { throw Unsupported() }
        let depth = stack.count
        let start = bytes.count
        try value.encode(to: JSONStreamEncoder(output: self, depth: depth, codingPath: codingPath))
        close(downTo: depth)
        // A nested value that encodes nothing is an empty object, as `JSONEncoder` writes it (at the top level
        // the caller hands the value to `JSONEncoder`, whose answer stands).
        if bytes.count == start, depth > 0 { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
    }

    /// Lets a ``JSONSelfWriting`` value append to the bytes.
    private func write(_ value: any JSONSelfWriting) throws {
        var buffer = JSONWriter.Buffer(bytes: [])
        swap(&buffer.bytes, &bytes)
        defer { swap(&buffer.bytes, &bytes) }
        try value.writeJSON(to: &buffer)
    }

    // MARK: Bytes

    var count: Int { bytes.count }
    func result() -> [UInt8] { bytes }
    func writeString(_ string: String) { JSONWriter.appendString(string, to: &bytes) }
    func writeInteger(_ value: some BinaryInteger) { JSONWriter.appendInteger(value, to: &bytes) }
    func writeDouble(_ value: Double) throws(Unsupported) { try JSONWriter.appendDouble(value, to: &bytes) }
    func writeFloat(_ value: Float) throws(Unsupported) { try JSONWriter.appendFloat(value, to: &bytes) }
    func writeBool(_ value: Bool) { bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes) }
    func writeNull() { bytes.append(contentsOf: Self.nullBytes) }

    static let nullBytes = Array("null".utf8)
    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
}

/// The `Encoder` handed to a value's `encode(to:)`: at most one container (asked for again, the same one), at the
/// output's current position.
struct JSONStreamEncoder: Encoder {
    let output: JSONOutput
    /// The stack depth at which this value's container opens.
    let depth: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(
            JSONKeyedContainer<Key>(output: output, serial: output.containerSerial(.object, depth: depth), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedContainer(output: output, serial: output.containerSerial(.array, depth: depth), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(output: output, depth: depth, start: output.count, codingPath: codingPath)
    }
}
