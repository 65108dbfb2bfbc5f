import MCP

/// A JSON-RPC request id as MCP allows it: a string or an integer (never `null`, never a fraction).
public enum JSONRPCID: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)

    /// The id in `value`, if it is one MCP allows.
    init?(_ value: Value) {
        switch value {
        case .string(let string): self = .string(string)
        case .int(let integer): self = .integer(integer)
        default: return nil
        }
    }

    /// The id as a `Value`, to write it back exactly as it came.
    var value: Value {
        switch self {
        case .string(let string): .string(string)
        case .integer(let integer): .int(integer)
        }
    }

    public var description: String {
        switch self {
        case .string(let string): "\"\(string)\""
        case .integer(let integer): String(integer)
        }
    }
}
