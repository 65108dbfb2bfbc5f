public import Foundation
import TOMLKit

extension WorkerConfig {
    /// Parses `wrangler.toml` text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the name used in errors and warnings.
    ///   - directory: where relative paths resolve (the directory the file is in).
    ///   - environment: the `[env.NAME]` to apply, or `nil` for the top level.
    /// - Throws: ``WorkerConfigError`` naming the file, line and key.
    public static func parse(
        _ text: String, file: String = fileName, directory: URL, environment: String? = nil
    ) throws -> WorkerConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw WorkerConfigError(
                file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "invalid TOML: \(error.description)")
        }
        var reader = ConfigReader(file: file, text: text)
        return try configuration(root, reader: &reader, directory: directory, environment: environment)
    }

    /// The configuration a parsed file describes: its top level, checked with every environment, and the selected
    /// environment applied with wrangler's inheritance rules. Shared by the TOML and the JSONC readers.
    static func configuration(
        _ root: TOMLTable, reader: inout ConfigReader, directory: URL, environment: String?
    ) throws(WorkerConfigError) -> WorkerConfig {
        let top = try ConfigLayer(root, at: [], reader: &reader)

        // Every environment is checked, selected or not, so a mistake surfaces before it is deployed.
        var environments: [String: ConfigLayer] = [:]
        if let envs = try reader.table(in: root, "env", at: []) {
            for name in envs.keys.sorted() {
                let path: ConfigKeyPath = ["env", name]
                let table = try reader.table(envs[name]!, at: path)
                environments[name] = try ConfigLayer(table, at: path, reader: &reader)
            }
        }

        guard let environment else {
            return try top.config(directory: directory, environment: nil, reader: reader)
        }
        guard let env = environments[environment] else {
            let available = environments.keys.sorted().map { "\"\($0)\"" }
            let hint = available.isEmpty ? "the file defines no [env.NAME] sections" : "available: \(available.joined(separator: ", "))"
            throw WorkerConfigError(file: reader.file, key: "env", message: "no environment named \"\(environment)\" (\(hint))")
        }
        if env.vars == nil, top.vars?.isEmpty == false {
            reader.warn(["env", environment], "has no vars; [vars] are not inherited by environments")
        }
        if env.kvNamespaces == nil, top.kvNamespaces?.isEmpty == false {
            reader.warn(["env", environment], "has no kv_namespaces; bindings are not inherited by environments")
        }
        return try top.inherited(by: env, environment: environment)
            .config(directory: directory, environment: environment, reader: reader)
    }
}
