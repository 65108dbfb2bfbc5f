import Foundation
import MCP
import WorkersRuntime

/// Turns a message's `params` into a method's or notification's parameter type.
enum MCPParameters {
    /// The parameters are not what the method takes (`invalidParams`).
    struct Invalid: Error {
        let detail: String
    }

    /// `params` as `P`: `tools/call`'s directly from the `Value`s already read, a type whose parameters are
    /// optional (`NotRequired`) from nothing when there are none, anything else through `JSONDecoder`.
    static func decode<P: Decodable>(_ params: Value?, as type: P.Type) throws -> P {
        if P.self == CallTool.Parameters.self {
            return try callTool(params) as! P
        }
        if params == nil, let optional = P.self as? any NotRequired.Type, let empty = optional.init() as? P {
            return empty
        }
        do {
            return try JSONDecoder().decode(P.self, from: JSONWriter.encodeData(params ?? .object([:])))
        } catch let error as DecodingError {
            throw Invalid(detail: Self.describe(error))
        }
    }

    private static func callTool(_ params: Value?) throws -> CallTool.Parameters {
        guard let members = params?.objectValue, let name = members["name"]?.stringValue else {
            throw Invalid(detail: "tools/call needs params.name, a string")
        }
        var arguments: [String: Value]?
        if let value = members["arguments"], value != .null {
            guard let object = value.objectValue else { throw Invalid(detail: "tools/call params.arguments must be an object") }
            arguments = object
        }
        var meta: Metadata?
        if let value = members["_meta"], value != .null {
            guard let fields = value.objectValue else { throw Invalid(detail: "params._meta must be an object") }
            meta = Metadata(additionalFields: fields)
        }
        return CallTool.Parameters(name: name, arguments: arguments, meta: meta)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? context.debugDescription
                : "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
