import Foundation
import TOMLKit

/// What one level of a config file sets (the top level, or one `[env.NAME]`), before inheritance is applied.
struct ConfigLayer {
    /// A value and where it was written, for errors found after merging.
    struct Located<Value> {
        var value: Value
        var path: ConfigKeyPath
    }

    var name: String?
    var compatibilityDate: String?
    var vars: [String: JSONValue]?
    var kvNamespaces: [KVNamespaceConfig]?
    var crons: [String]?
    var ip: String?
    var port: Int?
    var localProtocol: String?
    var publicOrigin: String?
    var tlsCert: Located<String>?
    var tlsKey: Located<String>?
    var storageDir: String?
    var trustForwardedHeaders: Bool?
    var maxBodySize: Int?
    var requestHeadTimeout: Duration?
    var drainTimeout: Duration?
    var maxConnections: Int?
    var outboundCAFile: String?
    var outboundConnectTo: [ConnectToRule]?
    var bearerToken: WorkerConfig.Protection.BearerToken?
    var access: WorkerConfig.Protection.Access?
    var metricsListen: ListenAddress?

    init() {}

    /// Reads the keys of `table`, found at `path` (empty for the top level, `env.NAME` for an environment).
    init(_ table: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader) throws(WorkerConfigError) {
        let isTopLevel = path.components.isEmpty
        reader.checkKeys(
            table, at: path, known: isTopLevel ? WorkerConfigKeys.topLevel.union(["env"]) : WorkerConfigKeys.topLevel,
            unsupported: WorkerConfigKeys.unsupported, ignored: WorkerConfigKeys.deploymentOnly)

        name = try reader.string(in: table, "name", at: path)
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            reader.warn(path.appending("name"), "a Worker name may contain only letters, digits and dashes")
        }
        if let value = table["compatibility_date"] {
            compatibilityDate = try Self.date(value, at: path.appending("compatibility_date"), reader: reader)
        }
        if let vars = try reader.table(in: table, "vars", at: path) {
            self.vars = Dictionary(vars.map { ($0, ConfigReader.json($1)) }, uniquingKeysWith: { _, last in last })
        }
        if let value = table["kv_namespaces"] {
            kvNamespaces = try Self.kvNamespaces(value, at: path.appending("kv_namespaces"), reader: &reader)
        }
        if let triggers = try reader.table(in: table, "triggers", at: path) {
            crons = try Self.crons(triggers, at: path.appending("triggers"), reader: &reader)
        }
        if let dev = try reader.table(in: table, "dev", at: path) {
            try readDev(dev, at: path.appending("dev"), reader: &reader)
        }
        if let host = try reader.table(in: table, "swift_workers", at: path) {
            try readHost(host, at: path.appending("swift_workers"), reader: &reader)
        }
    }

    private static func date(
        _ value: any TOMLValueConvertible, at path: ConfigKeyPath, reader: ConfigReader
    ) throws(WorkerConfigError) -> String {
        if let date = value.date {  // an unquoted TOML date
            return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
        }
        let text = try reader.string(value, at: path)
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
            throw reader.error(path, "expected a date like \"2024-10-28\", got \(ConfigReader.describe(value))")
        }
        return text
    }

    private static func kvNamespaces(
        _ value: any TOMLValueConvertible, at path: ConfigKeyPath, reader: inout ConfigReader
    ) throws(WorkerConfigError) -> [KVNamespaceConfig] {
        var namespaces: [KVNamespaceConfig] = []
        for (index, element) in try reader.array(value, at: path).enumerated() {
            let entryPath = path.appending(index: index)
            let table = try reader.table(element, at: entryPath)
            if table.contains(key: "url") {
                throw reader.error(
                    entryPath.appending("url"),
                    "a connection URL holds a password: keep it in a secret (DATABASE_URL by default, or name one with url_secret), not in the config"
                )
            }
            reader.checkKeys(table, at: entryPath, known: ["binding", "id", "preview_id", "backend", "path", "url_secret"])
            guard let binding = try reader.string(in: table, "binding", at: entryPath) else {
                throw reader.error(entryPath, "missing \"binding\" (the name the namespace gets on env)")
            }
            let bindingPath = entryPath.appending("binding")
            guard binding.wholeMatch(of: /[A-Za-z_$][A-Za-z0-9_$]*/) != nil else {
                throw reader.error(bindingPath, "\"\(binding)\" is not a valid binding name (letters, digits, _ and $)")
            }
            guard !namespaces.contains(where: { $0.binding == binding }) else {
                throw reader.error(bindingPath, "binding \"\(binding)\" is already used by another KV namespace")
            }
            let backend = try reader.string(in: table, "backend", at: entryPath)
            if let backend, !KVNamespaceConfig.backends.contains(backend) {
                throw reader.error(
                    entryPath.appending("backend"),
                    "expected one of \(KVNamespaceConfig.backends.joined(separator: ", ")), got \"\(backend)\"")
            }
            namespaces.append(
                KVNamespaceConfig(
                    binding: binding,
                    id: try reader.string(in: table, "id", at: entryPath),
                    previewId: try reader.string(in: table, "preview_id", at: entryPath),
                    backend: backend,
                    path: try reader.string(in: table, "path", at: entryPath),
                    urlSecret: try reader.string(in: table, "url_secret", at: entryPath)))
        }
        return namespaces
    }

    private static func crons(
        _ triggers: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader
    ) throws(WorkerConfigError) -> [String] {
        reader.checkKeys(triggers, at: path, known: ["crons"])
        guard let value = triggers["crons"] else { return [] }
        let cronsPath = path.appending("crons")
        var crons: [String] = []
        for (index, element) in try reader.array(value, at: cronsPath).enumerated() {
            let elementPath = cronsPath.appending(index: index)
            let cron = try reader.string(element, at: elementPath)
            do {
                _ = try CronExpression(cron)
            } catch {
                throw reader.error(elementPath, "\(error)")
            }
            crons.append(cron)
        }
        return crons
    }

    private mutating func readDev(_ dev: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader)
        throws(WorkerConfigError)
    {
        reader.checkKeys(
            dev, at: path, known: ["ip", "port", "local_protocol"],
            unsupported: ["upstream_protocol", "host", "inspector_port", "container_engine", "enable_containers",
                "generate_types"])
        ip = try reader.string(in: dev, "ip", at: path)
        if ip?.isEmpty == true { throw reader.error(path.appending("ip"), "must not be empty") }
        port = try reader.int(in: dev, "port", at: path)
        if let port, !(0...65535).contains(port) {
            throw reader.error(path.appending("port"), "expected a port number 0-65535, got \(port)")
        }
        localProtocol = try reader.string(in: dev, "local_protocol", at: path)
        if let localProtocol, localProtocol != "http", localProtocol != "https" {
            throw reader.error(path.appending("local_protocol"), "expected \"http\" or \"https\", got \"\(localProtocol)\"")
        }
    }

    private mutating func readHost(_ host: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader)
        throws(WorkerConfigError)
    {
        reader.checkKeys(
            host, at: path,
            known: [
                "public_origin", "tls_cert", "tls_key", "storage_dir", "trust_forwarded_headers", "max_body_size",
                "request_head_timeout", "max_connections", "drain_timeout", "outbound_ca_file", "outbound_connect_to", "bearer_token",
                "access", "metrics_listen",
            ])
        if let origin = try reader.string(in: host, "public_origin", at: path) {
            publicOrigin = try Self.origin(origin, at: path.appending("public_origin"), reader: reader)
        }
        if let cert = try reader.string(in: host, "tls_cert", at: path) {
            tlsCert = Located(value: cert, path: path.appending("tls_cert"))
        }
        if let key = try reader.string(in: host, "tls_key", at: path) {
            tlsKey = Located(value: key, path: path.appending("tls_key"))
        }
        storageDir = try reader.string(in: host, "storage_dir", at: path)
        if storageDir?.isEmpty == true { throw reader.error(path.appending("storage_dir"), "must not be empty") }
        trustForwardedHeaders = try reader.bool(in: host, "trust_forwarded_headers", at: path)
        maxBodySize = try reader.int(in: host, "max_body_size", at: path)
        if let maxBodySize, maxBodySize <= 0 {
            throw reader.error(path.appending("max_body_size"), "expected a positive number of bytes, got \(maxBodySize)")
        }
        if let seconds = try reader.number(in: host, "request_head_timeout", at: path) {
            guard seconds > 0, seconds <= 86_400 else {
                throw reader.error(
                    path.appending("request_head_timeout"), "expected a positive number of seconds up to 86400, got \(seconds)")
            }
            requestHeadTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let seconds = try reader.number(in: host, "drain_timeout", at: path) {
            guard let timeout = WorkerConfig.Host.drainTimeout(seconds: seconds) else {
                throw reader.error(path.appending("drain_timeout"), "expected a number of seconds from 0 to 3600, got \(seconds)")
            }
            drainTimeout = timeout
        }
        if let listen = try reader.string(in: host, "metrics_listen", at: path) {
            guard let address = ListenAddress(parsing: listen) else {
                throw reader.error(
                    path.appending("metrics_listen"), "expected HOST:PORT (port 0-65535, IPv6 in brackets), got \"\(listen)\"")
            }
            metricsListen = address
        }
        maxConnections = try reader.int(in: host, "max_connections", at: path)
        if let maxConnections, maxConnections <= 0 {
            throw reader.error(path.appending("max_connections"), "expected a positive number of connections, got \(maxConnections)")
        }
        outboundCAFile = try reader.string(in: host, "outbound_ca_file", at: path)
        if outboundCAFile?.isEmpty == true { throw reader.error(path.appending("outbound_ca_file"), "must not be empty") }
        if host["outbound_connect_to"] != nil {
            var rules: [ConnectToRule] = []
            for (index, text) in try Self.strings(host, "outbound_connect_to", at: path, reader: reader).enumerated() {
                do { rules.append(try ConnectToRule(parsing: text)) } catch {
                    throw reader.error(path.appending("outbound_connect_to").appending(index: index), error.description)
                }
            }
            outboundConnectTo = rules
        }
        if let table = try reader.table(in: host, "bearer_token", at: path) {
            bearerToken = try Self.bearerToken(table, at: path.appending("bearer_token"), reader: &reader)
        }
        if let table = try reader.table(in: host, "access", at: path) {
            access = try Self.access(table, at: path.appending("access"), reader: &reader)
        }
    }

    private static func bearerToken(_ table: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader)
        throws(WorkerConfigError) -> WorkerConfig.Protection.BearerToken
    {
        reader.checkKeys(table, at: path, known: ["secrets"])
        let secrets = try strings(table, "secrets", at: path, reader: reader)
        guard !secrets.isEmpty else {
            throw reader.error(path.appending("secrets"), "name at least one secret, e.g. [\"MCP_SECRET_TOKEN\"]")
        }
        return .init(secrets: secrets)
    }

    private static func access(_ table: TOMLTable, at path: ConfigKeyPath, reader: inout ConfigReader)
        throws(WorkerConfigError) -> WorkerConfig.Protection.Access
    {
        reader.checkKeys(table, at: path, known: ["team_domain", "audience", "jwks_url", "issuer", "header"])
        let audiences: [String]
        if table["audience"]?.array != nil {
            audiences = try strings(table, "audience", at: path, reader: reader)
        } else {
            audiences = try reader.string(in: table, "audience", at: path).map { [$0] } ?? []
        }
        guard !audiences.isEmpty else {
            throw reader.error(path.appending("audience"), "set the application's AUD tag (a string or an array)")
        }
        let access = WorkerConfig.Protection.Access(
            teamDomain: try reader.string(in: table, "team_domain", at: path),
            audiences: audiences,
            jwksURL: try reader.string(in: table, "jwks_url", at: path),
            issuer: try reader.string(in: table, "issuer", at: path),
            header: try reader.string(in: table, "header", at: path)
        )
        guard access.teamDomain != nil || (access.jwksURL != nil && access.issuer != nil) else {
            throw reader.error(path, "set team_domain, or both jwks_url and issuer")
        }
        return access
    }

    /// `table[key]` as an array of strings (empty when absent).
    private static func strings(_ table: TOMLTable, _ key: String, at path: ConfigKeyPath, reader: ConfigReader)
        throws(WorkerConfigError) -> [String]
    {
        guard let value = table[key] else { return [] }
        let array = try reader.array(value, at: path.appending(key))
        var result: [String] = []
        for (index, element) in array.enumerated() {
            result.append(try reader.string(element, at: path.appending(key).appending(index: index)))
        }
        return result
    }

    /// Checks that `text` is an origin (`https://host[:port]`) and drops a trailing slash.
    private static func origin(_ text: String, at path: ConfigKeyPath, reader: ConfigReader) throws(WorkerConfigError)
        -> String
    {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let components = URLComponents(string: trimmed),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.path.isEmpty, components.query == nil, components.fragment == nil, components.user == nil
        else {
            throw reader.error(path, "expected an origin like \"https://example.com\" (scheme, host, optional port), got \"\(text)\"")
        }
        return trimmed
    }
}
