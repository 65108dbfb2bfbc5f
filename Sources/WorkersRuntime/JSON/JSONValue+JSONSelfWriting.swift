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
        case .array(let elements):
            buffer.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.append(",") }
                try element.writeJSON(to: &buffer)
            }
            buffer.append("]")
        case .object(let members):
            buffer.append("{")
            var first = true
            for (name, member) in members {
                if !first { buffer.append(",") }
                first = false
                buffer.appendString(name)
                buffer.append(":")
                try member.writeJSON(to: &buffer)
            }
            buffer.append("}")
        }
    }
}
