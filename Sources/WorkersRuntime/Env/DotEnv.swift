public import Foundation

/// Reads and writes dotenv files such as `.dev.vars`, where wrangler keeps local secrets.
///
/// The syntax is dotenv's: `NAME=value` lines, an optional `export ` prefix, `#` comments, and values that are bare
/// (trimmed, ending at `#`), single-quoted or backtick-quoted (literal), or double-quoted (with the escapes `\n`,
/// `\r`, `\t`, `\"` and `\\`). Quoted values may span lines. A name given twice takes its last value.
///
/// ```swift
/// let secrets = try DotEnv.load(from: DotEnv.secretsFile(for: config))   // [:] when there is no file
/// ```
public enum DotEnv {
    /// The file wrangler reads local secrets from.
    public static let secretsFileName = ".dev.vars"

    /// Parses dotenv text into a dictionary (a repeated name keeps its last value).
    /// - Throws: ``DotEnvError`` with the line of the first malformed entry.
    public static func parse(_ text: String, file: String = secretsFileName) throws -> [String: String] {
        Dictionary(try parseOrdered(text, file: file), uniquingKeysWith: { _, last in last })
    }

    /// Parses dotenv text into `(name, value)` pairs in file order; a repeated name appears once, where it first
    /// appears, with its last value.
    public static func parseOrdered(_ text: String, file: String = secretsFileName) throws -> [(String, String)] {
        var scanner = DotEnvScanner(text, file: file)
        var pairs: [(String, String)] = []
        var positions: [String: Int] = [:]
        for entry in try scanner.scan() {
            if let position = positions[entry.name] {
                pairs[position].1 = entry.value
            } else {
                positions[entry.name] = pairs.count
                pairs.append((entry.name, entry.value))
            }
        }
        return pairs
    }

    /// Reads and parses a dotenv file.
    /// - Returns: the variables, or `[:]` when the file does not exist.
    public static func load(from file: URL) throws -> [String: String] {
        guard let text = try read(file) else { return [:] }
        return try parse(text, file: file.lastPathComponent)
    }

    /// Serializes entries so that ``parse(_:file:)`` returns them unchanged: one `NAME=value` line each, quoting and
    /// escaping values as needed.
    public static func serialize(_ entries: [(String, String)]) -> String {
        entries.map { line(name: $0.0, value: $0.1) + "\n" }.joined()
    }

    /// One `NAME=value` line (without the newline).
    public static func line(name: String, value: String) -> String {
        "\(name)=\(quote(value))"
    }

    /// `value` as it is written in a dotenv file: bare when safe, else single- or double-quoted.
    static func quote(_ value: String) -> String {
        let bare = value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.,/:+=@%~".unicodeScalars.contains($0))
        }
        if bare, !value.isEmpty { return value }
        let needsEscapes = value.unicodeScalars.contains { $0 == "'" || $0.properties.generalCategory == .control }
        if !needsEscapes { return "'\(value)'" }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// The secrets file for `config`: `.dev.vars` next to the config file, or `.dev.vars.<environment>` when an
    /// environment is selected (wrangler reads that one *instead of* `.dev.vars`; the two are not merged).
    public static func secretsFile(for config: WorkerConfig, environment: String?) -> URL {
        let name = environment.map { "\(secretsFileName).\($0)" } ?? secretsFileName
        return config.directory.appendingPathComponent(name)
    }

    /// The secrets file for `config` and the environment it was loaded with (``WorkerConfig/environment``).
    public static func secretsFile(for config: WorkerConfig) -> URL {
        secretsFile(for: config, environment: config.environment)
    }

    /// The file's text, or nil when it does not exist.
    static func read(_ file: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data = try Data(contentsOf: file)
        guard let text = String(data: data, encoding: .utf8) else {
            throw DotEnvError(file: file.lastPathComponent, line: 1, message: "the file is not valid UTF-8")
        }
        return text
    }
}
