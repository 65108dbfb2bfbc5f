import Foundation
public import PostgresNIO
import NIOSSL

/// A libpq-style connection URL, `postgres://user:password@host:port/database?sslmode=verify-full`.
///
/// User, password and database are percent-decoded. Query parameters: `sslmode` (``SSLMode``), `sslrootcert` (a
/// PEM file of trusted roots), `connect_timeout` (seconds), `host` (a directory holding the server's Unix socket,
/// instead of TCP), `application_name`. Any other parameter is refused rather than ignored.
///
/// ```swift
/// let url = try PostgresURL("postgres://kv:s3cret@db.internal:5432/app?sslmode=verify-full")
/// let kv = try PostgresKV(client: url.clientConfiguration(), namespace: "OAUTH_KV")
/// ```
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// A `sslmode`, as libpq names them.
    public struct SSLMode: Sendable, Hashable, CustomStringConvertible {
        /// The libpq name.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// No TLS.
        public static let disable = SSLMode("disable")
        /// TLS when the server offers it, without verifying the certificate (libpq's default).
        public static let prefer = SSLMode("prefer")
        /// TLS or no connection; the certificate is verified only against `sslrootcert` when one is given.
        public static let require = SSLMode("require")
        /// TLS, certificate verified against trusted roots, host name not checked.
        public static let verifyCA = SSLMode("verify-ca")
        /// TLS, certificate and host name verified. Use this across any network you do not control.
        public static let verifyFull = SSLMode("verify-full")

        /// The modes understood (`allow` is read as ``prefer``).
        public static let all: [SSLMode] = [.disable, .prefer, .require, .verifyCA, .verifyFull]

        public var description: String { name }
    }

    /// The host name or address (`nil` with a Unix socket).
    public var host: String?
    /// The TCP port, or the number in the socket's name (`.s.PGSQL.5432`).
    public var port: Int
    /// The directory holding the server's socket, from `?host=/path`.
    public var socketDirectory: String?
    /// The user name.
    public var user: String
    /// The password, if the URL has one.
    public var password: String?
    /// The database (PostgreSQL's default is the user's name).
    public var database: String?
    /// TLS.
    public var sslMode: SSLMode
    /// Trusted roots for verifying the server, a PEM file.
    public var sslRootCertificate: String?
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// Shown in `pg_stat_activity`.
    public var applicationName: String

    /// Parses `string`.
    /// - Throws: ``PostgresKVConfigurationError`` naming the part that is wrong (never echoing the password).
    public init(_ string: String) throws {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql"
        else {
            throw PostgresKVConfigurationError("a connection URL must look like postgres://user:password@host:port/database")
        }
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        password = components.password
        host = components.host.map { $0.hasPrefix("[") ? String($0.dropFirst().dropLast()) : $0 }
        if host?.isEmpty == true { host = nil }
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
        sslMode = .prefer
        connectTimeout = .seconds(5)
        applicationName = "workers-kv"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                let name = value == "allow" ? "prefer" : value
                guard let mode = SSLMode.all.first(where: { $0.name == name }) else {
                    throw PostgresKVConfigurationError(
                        "sslmode=\(value) is not one of \(SSLMode.all.map(\.name).joined(separator: ", "))"
                    )
                }
                sslMode = mode
            case "sslrootcert":
                sslRootCertificate = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw PostgresKVConfigurationError("connect_timeout=\(value) is not a positive number of seconds")
                }
                connectTimeout = .seconds(seconds)
            case "host":
                guard value.hasPrefix("/") else {
                    throw PostgresKVConfigurationError("host=\(value) must be the directory of a Unix socket")
                }
                socketDirectory = value
            case "application_name":
                applicationName = value
            default:
                throw PostgresKVConfigurationError("unsupported connection URL parameter \(item.name)")
            }
        }
        if host == nil && socketDirectory == nil {
            throw PostgresKVConfigurationError("the connection URL names no host")
        }
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        var text = "postgres://\(user)\(password == nil ? "" : ":***")@"
        if let host { text += (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }
        text += "/\(database ?? "")?sslmode=\(sslMode)"
        if let socketDirectory { text += "&host=\(socketDirectory)" }
        return text
    }

    /// A postgres-nio client configuration for this URL: TLS from ``sslMode``, ``connectTimeout``, the given pool
    /// size, and the ``applicationName``.
    /// - Throws: ``PostgresKVConfigurationError`` when `sslrootcert` cannot be read.
    public func clientConfiguration(maximumConnections: Int = 20) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database
            )
        } else {
            configuration = PostgresClient.Configuration(
                host: host ?? "localhost", port: port, username: user, password: password, database: database,
                tls: try tls()
            )
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return configuration
    }

    private func tls() throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let sslRootCertificate {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(sslRootCertificate))
            } catch {
                throw PostgresKVConfigurationError("sslrootcert \(sslRootCertificate) cannot be read: \(error)")
            }
        }
        switch sslMode {
        case .disable:
            return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            tls.certificateVerification = sslRootCertificate == nil ? .none : .noHostnameVerification
            return .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        default:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }
}
