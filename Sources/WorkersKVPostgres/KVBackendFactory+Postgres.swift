public import WorkersKV

extension KVBackendFactory {
    /// `backend = "postgres"`: a ``PostgresKV`` in the database named by a connection URL held in a secret.
    ///
    /// ```toml
    /// [[kv_namespaces]]
    /// binding = "OAUTH_KV"
    /// id = "0f2ac74b498b48028cb68387c421e279"
    /// backend = "postgres"
    /// url_secret = "DATABASE_URL"   # the default
    /// ```
    ///
    /// The URL (``PostgresURL``) is read with `binding.secret`, from `.dev.vars` or the environment, never from the
    /// config file. The namespace is the binding's `id` when it has one, else the binding name, so two bindings of
    /// one id share data. `sweepInterval` and the logger come from the binding.
    public static let postgres = KVBackendFactory(name: "postgres") { binding in
        let secret = binding.urlSecret ?? "DATABASE_URL"
        guard let url = binding.secret(secret), !url.isEmpty else {
            throw PostgresKVConfigurationError(
                "\(binding.binding) uses backend \"postgres\", which needs a connection URL in the secret \(secret) "
                    + "(set it in .dev.vars or the environment, e.g. \(secret)=postgres://user:password@host:5432/database)"
            )
        }
        let namespace = binding.id.flatMap { $0.isEmpty ? nil : $0 } ?? binding.binding
        return try PostgresKV(
            url: url, namespace: namespace, configuration: PostgresKV.Configuration(sweepInterval: binding.sweepInterval),
            logger: binding.logger
        )
    }
}
