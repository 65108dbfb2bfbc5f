public import Foundation

extension WorkerConfig {
    /// The TOML file name wrangler looks for.
    public static let fileName = "wrangler.toml"

    /// The config file names wrangler looks for, in its order of preference: `wrangler.json`, `wrangler.jsonc`,
    /// `wrangler.toml`. See ``find(startingAt:)``.
    public static let fileNames = ["wrangler.json", "wrangler.jsonc", fileName]

    /// Whether a config file is read as JSON with comments (`.json`, `.jsonc`) rather than TOML (anything else).
    public static func isJSONC(_ file: URL) -> Bool {
        ["json", "jsonc"].contains(file.pathExtension.lowercased())
    }

    /// Reads and parses a config file: `wrangler.json` or `wrangler.jsonc` (any `.json`/`.jsonc` name) as JSON with
    /// comments, anything else as TOML.
    /// - Parameters:
    ///   - file: the config file; relative paths inside it resolve against its directory.
    ///   - environment: the `[env.NAME]` (`"env": { "NAME": ... }`) to apply (`--env NAME`), or `nil` for the top level.
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
        let directory = file.deletingLastPathComponent()
        if isJSONC(file) {
            return try parseJSONC(text, file: display, directory: directory, environment: environment)
        }
        return try parse(text, file: display, directory: directory, environment: environment)
    }

    /// Finds the config file like wrangler does: `wrangler.json` in `directory` or the nearest parent directory
    /// that has one; failing that, `wrangler.jsonc` the same way; failing that, `wrangler.toml`.
    ///
    /// So a `wrangler.json(c)` in a parent directory is preferred to a `wrangler.toml` in `directory`, exactly as
    /// wrangler prefers it; pass `--config` to choose another file.
    /// - Returns: the file, or `nil` when no directory up to the root has any of them.
    public static func find(startingAt directory: URL) -> URL? {
        for name in fileNames {
            if let file = findUp(name, startingAt: directory) { return file }
        }
        return nil
    }

    /// The file `name` in `directory` or its nearest parent directory that has one.
    private static func findUp(_ name: String, startingAt directory: URL) -> URL? {
        var current = directory.standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(name)
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
