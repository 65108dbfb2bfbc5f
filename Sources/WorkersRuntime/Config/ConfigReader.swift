import Foundation
import TOMLKit

/// Typed reads from a parsed TOML table that fail with a ``WorkerConfigError`` naming the key and its line, and
/// collect warnings. A `wrangler.json(c)` file is read through the same table (``WorkerConfig/parseJSONC(_:file:directory:environment:)``
/// translates it), with its own locator.
struct ConfigReader {
    let file: String
    let locator: any ConfigKeyLocator
    private(set) var warnings: [String] = []

    init(file: String, text: String) {
        self.init(file: file, locator: TOMLKeyLocator(text: text))
    }

    init(file: String, locator: any ConfigKeyLocator) {
        self.file = file
        self.locator = locator
    }

    func error(_ path: ConfigKeyPath, _ message: String) -> WorkerConfigError {
        let position = locator.position(of: path)
        return WorkerConfigError(
            file: file, line: position?.line, column: position?.column,
            key: path.components.isEmpty ? nil : path.description, message: message)
    }

    mutating func warn(_ path: ConfigKeyPath, _ message: String) {
        let location = locator.position(of: path).map { "\(file):\($0.line)" } ?? file
        warnings.append("\(location): \(path): \(message)")
    }

    /// Warns about each key of `table` that is not in `known`; keys in `unsupported` get a gentler message.
    mutating func checkKeys(
        _ table: TOMLTable, at path: ConfigKeyPath, known: Set<String>, unsupported: Set<String> = [],
        ignored: Set<String> = []
    ) {
        for key in table.keys.sorted() where !known.contains(key) && !ignored.contains(key) {
            if unsupported.contains(key) {
                warn(path.appending(key), "not supported by swift-workers; ignored")
            } else {
                warn(path.appending(key), "unknown key; ignored")
            }
        }
    }

    func string(_ value: any TOMLValueConvertible, at path: ConfigKeyPath) throws(WorkerConfigError) -> String {
        guard let string = value.string else { throw mismatch("a string", value, at: path) }
        return string
    }

    func int(_ value: any TOMLValueConvertible, at path: ConfigKeyPath) throws(WorkerConfigError) -> Int {
        guard let int = value.int else { throw mismatch("an integer", value, at: path) }
        return int
    }

    func bool(_ value: any TOMLValueConvertible, at path: ConfigKeyPath) throws(WorkerConfigError) -> Bool {
        guard let bool = value.bool else { throw mismatch("true or false", value, at: path) }
        return bool
    }

    func table(_ value: any TOMLValueConvertible, at path: ConfigKeyPath) throws(WorkerConfigError) -> TOMLTable {
        guard let table = value.table else { throw mismatch("a table", value, at: path) }
        return table
    }

    func array(_ value: any TOMLValueConvertible, at path: ConfigKeyPath) throws(WorkerConfigError) -> TOMLArray {
        guard let array = value.array else { throw mismatch("an array", value, at: path) }
        return array
    }

    /// `table[key]` as a string, or nil when absent.
    func string(in table: TOMLTable, _ key: String, at path: ConfigKeyPath) throws(WorkerConfigError) -> String? {
        guard let value = table[key] else { return nil }
        return try string(value, at: path.appending(key))
    }

    /// `table[key]` as an integer, or nil when absent.
    func int(in table: TOMLTable, _ key: String, at path: ConfigKeyPath) throws(WorkerConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        return try int(value, at: path.appending(key))
    }

    /// `table[key]` as a number (an integer or a float), or nil when absent.
    func number(in table: TOMLTable, _ key: String, at path: ConfigKeyPath) throws(WorkerConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        if let int = value.int { return Double(int) }
        guard let double = value.double, double.isFinite else { throw mismatch("a number", value, at: path.appending(key)) }
        return double
    }

    /// `table[key]` as a Boolean, or nil when absent.
    func bool(in table: TOMLTable, _ key: String, at path: ConfigKeyPath) throws(WorkerConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        return try bool(value, at: path.appending(key))
    }

    /// `table[key]` as a table, or nil when absent.
    func table(in table: TOMLTable, _ key: String, at path: ConfigKeyPath) throws(WorkerConfigError) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        return try self.table(value, at: path.appending(key))
    }

    func mismatch(_ expected: String, _ value: any TOMLValueConvertible, at path: ConfigKeyPath) -> WorkerConfigError {
        error(path, "expected \(expected), got \(Self.describe(value))")
    }

    /// A short description of a TOML value for messages: `"abc"`, `42`, `true`, `a table`.
    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return JSONValue.string(value.string ?? "").jsonString
        case .int: return value.int.map(String.init) ?? "an integer"
        case .double: return value.double.map { "\($0)" } ?? "a number"
        case .bool: return value.bool.map { "\($0)" } ?? "a Boolean"
        case .table: return "a table"
        case .array: return "an array"
        case .date, .time, .dateTime: return "a \(value.type) \(value.debugDescription)"
        }
    }

    /// A TOML value as JSON: tables become objects, dates and times their TOML text.
    static func json(_ value: any TOMLValueConvertible) -> JSONValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .number(Double(value.int ?? 0))
        case .double: return .number(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array((value.array.map(Array.init) ?? []).map(json))
        case .table:
            var object: [String: JSONValue] = [:]
            for (key, member) in value.table ?? TOMLTable() { object[key] = json(member) }
            return .object(object)
        case .date, .time, .dateTime: return .string(value.debugDescription)
        }
    }
}
