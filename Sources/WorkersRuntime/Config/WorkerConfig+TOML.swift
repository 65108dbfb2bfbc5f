public import Foundation
import TOMLKit

extension WorkerConfig {
    /// The file name wrangler looks for.
    public static let fileName = "wrangler.toml"

    /// Reads and parses a `wrangler.toml`.
    /// - Parameters:
    ///   - file: the config file; relative paths inside it resolve against its directory.
    ///   - environment: the `[env.NAME]` to apply (`--env NAME`), or `nil` for the top level.
    /// - Throws: ``WorkerConfigError`` when the file cannot be read, is malformed, or has no such environment.
    public static func load(from file: URL, environment: String? = nil) throws -> WorkerConfig {
        let display = displayPath(of: file)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            let reason = FileManager.default.fileExists(atPath: file.path) ? "cannot be read" : "does not exist"
            throw WorkerConfigError(file: display, message: "the config file \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WorkerConfigError(file: display, message: "the config file is not valid UTF-8")
        }
        return try parse(text, file: display, directory: file.deletingLastPathComponent(), environment: environment)
    }

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
            throw WorkerConfigError(file: file, key: "env", message: "no environment named \"\(environment)\" (\(hint))")
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

    /// Finds `wrangler.toml` like wrangler does: in `directory`, then in each parent directory.
    /// - Returns: the file, or `nil` when no directory up to the root has one.
    public static func find(startingAt directory: URL) -> URL? {
        var current = directory.standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(fileName)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            let parent = current.deletingLastPathComponent().standardizedFileURL
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// `file` relative to the current directory when it is inside it, else its full path.
    private static func displayPath(of file: URL) -> String {
        let path = file.standardizedFileURL.path
        let current = FileManager.default.currentDirectoryPath
        let prefix = current.hasSuffix("/") ? current : current + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
