import Foundation
public import MCP
public import WorkersRuntime

/// `Value` writes its own JSON, exactly as its `encode(to:)` does (a `.data` value as its data URL), without a
/// container per element.
extension Value: JSONSelfWriting {
    public func writeJSON(to buffer: inout JSONWriter.Buffer) throws {
        switch self {
        case .null: buffer.appendNull()
        case .bool(let value): buffer.appendBool(value)
        case .int(let value): buffer.appendInteger(value)
        case .double(let value): try buffer.appendDouble(value)
        case .string(let value): buffer.appendString(value)
        case .data(let mimeType, let data): buffer.appendString(data.dataURLEncoded(mimeType: mimeType))
        case .array(let elements): try buffer.appendArray(elements)
        case .object(let members): try buffer.appendObject(members)
        }
    }
}
