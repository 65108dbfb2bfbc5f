import Foundation

extension ConfigLayer {
    /// The layer seen in environment `environment`, whose own keys are `env`: wrangler's inheritance rules.
    ///
    /// Inheritable keys (`name`, `compatibility_date`, `triggers`, `[dev]`, `[swift_workers]`) fall back to the top
    /// level; a `name` that is inherited becomes `<name>-<environment>`. Bindings (`vars`, `kv_namespaces`) are never
    /// inherited: an environment without its own has none.
    func inherited(by env: ConfigLayer, environment: String) -> ConfigLayer {
        var merged = ConfigLayer()
        merged.name = env.name ?? name.map { "\($0)-\(environment)" }
        merged.compatibilityDate = env.compatibilityDate ?? compatibilityDate
        merged.vars = env.vars
        merged.kvNamespaces = env.kvNamespaces
        merged.crons = env.crons ?? crons
        merged.ip = env.ip ?? ip
        merged.port = env.port ?? port
        merged.localProtocol = env.localProtocol ?? localProtocol
        merged.publicOrigin = env.publicOrigin ?? publicOrigin
        merged.tlsCert = env.tlsCert ?? tlsCert
        merged.tlsKey = env.tlsKey ?? tlsKey
        merged.storageDir = env.storageDir ?? storageDir
        merged.trustForwardedHeaders = env.trustForwardedHeaders ?? trustForwardedHeaders
        merged.maxBodySize = env.maxBodySize ?? maxBodySize
        merged.requestHeadTimeout = env.requestHeadTimeout ?? requestHeadTimeout
        merged.maxConnections = env.maxConnections ?? maxConnections
        merged.drainTimeout = env.drainTimeout ?? drainTimeout
        merged.outboundCAFile = env.outboundCAFile ?? outboundCAFile
        merged.outboundConnectTo = env.outboundConnectTo ?? outboundConnectTo
        merged.bearerToken = env.bearerToken ?? bearerToken
        merged.access = env.access ?? access
        merged.metricsListen = env.metricsListen ?? metricsListen
        return merged
    }

    /// The final configuration, with defaults applied and paths resolved against `directory`.
    func config(directory: URL, environment: String?, reader: ConfigReader) throws(WorkerConfigError) -> WorkerConfig {
        switch (tlsCert, tlsKey) {
        case (let cert?, nil):
            throw reader.error(cert.path, "tls_key must be set too (a certificate needs its private key)")
        case (nil, let key?):
            throw reader.error(key.path, "tls_cert must be set too (a private key needs its certificate)")
        default:
            break
        }
        let host = WorkerConfig.Host(
            publicOrigin: publicOrigin,
            tlsCert: tlsCert.map { WorkerConfig.resolve(path: $0.value, in: directory) },
            tlsKey: tlsKey.map { WorkerConfig.resolve(path: $0.value, in: directory) },
            storageDir: WorkerConfig.resolve(path: storageDir ?? WorkerConfig.Host.defaultStorageDir, in: directory),
            trustForwardedHeaders: trustForwardedHeaders ?? false,
            maxBodySize: maxBodySize ?? WorkerConfig.Host.defaultMaxBodySize,
            requestHeadTimeout: requestHeadTimeout ?? WorkerConfig.Host.defaultRequestHeadTimeout,
            maxConnections: maxConnections ?? WorkerConfig.Host.defaultMaxConnections,
            drainTimeout: drainTimeout ?? WorkerConfig.Host.defaultDrainTimeout,
            outboundCAFile: outboundCAFile.map { WorkerConfig.resolve(path: $0, in: directory) },
            outboundConnectTo: outboundConnectTo ?? [],
            protection: WorkerConfig.Protection(bearerToken: bearerToken, access: access),
            metricsListen: metricsListen
        )
        let defaults = WorkerConfig.Dev()
        return WorkerConfig(
            name: name,
            compatibilityDate: compatibilityDate,
            vars: vars ?? [:],
            kvNamespaces: kvNamespaces ?? [],
            crons: crons ?? [],
            dev: WorkerConfig.Dev(
                ip: ip ?? defaults.ip, port: port ?? defaults.port, localProtocol: localProtocol ?? defaults.localProtocol),
            host: host,
            environment: environment,
            directory: directory,
            warnings: reader.warnings
        )
    }
}
