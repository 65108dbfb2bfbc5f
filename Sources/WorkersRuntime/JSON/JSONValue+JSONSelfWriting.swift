/// `JSONValue` writes its own JSON, exactly as its `encode(to:)` does, without a container per element.
extension JSONValue: JSONSelfWriting {
    public func writeJSON(to buffer: inout JSONWriter.Buffer) throws {
        switch self {
        case .null: buffer.appendNull()
        case .bool(let value): buffer.appendBool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                buffer.appendInteger(Int64(value))
            } else {
                try buffer.appendDouble(value)
            }
        case .string(let value): buffer.appendString(value)
        case .array(let elements): try buffer.appendArray(elements)
        case .object(let members): try buffer.appendObject(members)
        }
    }
}
