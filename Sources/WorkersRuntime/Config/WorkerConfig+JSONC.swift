public import Foundation
import TOMLKit

extension WorkerConfig {
    /// Parses `wrangler.json` or `wrangler.jsonc` text: the same keys, environments and checks as
    /// ``parse(_:file:directory:environment:)`` reads from TOML, written as JSON with `//` and `/* */` comments and
    /// trailing commas allowed (as wrangler reads both names).
    ///
    /// ```jsonc
    /// {
    ///   "name": "my-worker", // comments are fine
    ///   "kv_namespaces": [
    ///     { "binding": "OAUTH_KV", "id": "<id>" },
    ///   ],
    ///   "env": { "staging": { "kv_namespaces": [{ "binding": "OAUTH_KV", "id": "<staging id>" }] } }
    /// }
    /// ```
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the name used in errors and warnings.
    ///   - directory: where relative paths resolve (the directory the file is in).
    ///   - environment: the `"env": { "NAME": ... }` entry to apply, or `nil` for the top level.
    /// - Throws: ``WorkerConfigError`` naming the file, line and key.
    public static func parseJSONC(
        _ text: String, file: String = "wrangler.jsonc", directory: URL, environment: String? = nil
    ) throws -> WorkerConfig {
        let document: JSONCDocument
        do {
            document = try JSONCParser.parse(text)
        } catch {
            throw WorkerConfigError(file: file, line: error.line, column: error.column, message: "invalid JSON: \(error.message)")
        }
        var reader = ConfigReader(file: file, locator: document)
        guard case .object(let members) = document.root else {
            throw WorkerConfigError(file: file, line: 1, message: "the top level must be a JSON object ({ ... })")
        }
        for path in document.duplicates {
            reader.warn(path, "written more than once; the last value is used")
        }
        let root = try table(members, at: [], reader: reader)
        return try configuration(root, reader: &reader, directory: directory, environment: environment)
    }

    /// A JSON object as the TOML table the config reader reads, so both formats pass the same checks.
    private static func table(
        _ members: [String: JSONValue], at path: ConfigKeyPath, reader: ConfigReader
    ) throws(WorkerConfigError) -> TOMLTable {
        let table = TOMLTable()
        for (key, member) in members {
            guard !key.unicodeScalars.contains("\0") else {
                throw reader.error(path, "a property name contains a NUL character (\\u0000)")
            }
            table[key] = try tomlValue(member, at: path.appending(key), reader: reader)
        }
        return table
    }

    /// A JSON value as a TOML one. Numbers that are whole become integers (in JavaScript `8787.0` is `8787`);
    /// `null` has no TOML counterpart and is refused where it is written.
    private static func tomlValue(
        _ value: JSONValue, at path: ConfigKeyPath, reader: ConfigReader
    ) throws(WorkerConfigError) -> any TOMLValueConvertible {
        switch value {
        case .null:
            throw reader.error(path, "null is not a valid value here; leave the key out instead")
        case .bool(let bool):
            return bool
        case .number(let number):
            if number.rounded() == number, let int = Int(exactly: number) { return int }
            return number
        case .string(let string):
            guard !string.unicodeScalars.contains("\0") else {
                throw reader.error(path, "the string contains a NUL character (\\u0000)")
            }
            return string
        case .array(let elements):
            let array = TOMLArray()
            for (index, element) in elements.enumerated() {
                array.append(try tomlValue(element, at: path.appending(index: index), reader: reader))
            }
            return array
        case .object(let members):
            return try table(members, at: path, reader: reader)
        }
    }
}
