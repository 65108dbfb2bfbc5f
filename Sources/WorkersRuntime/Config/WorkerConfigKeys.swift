/// The `wrangler.toml` keys this runtime knows, by how it treats them.
enum WorkerConfigKeys {
    /// Keys read at the top level and in `[env.NAME]` (`env` itself is top-level only).
    static let topLevel: Set<String> = [
        "name", "main", "compatibility_date", "vars", "kv_namespaces", "triggers", "dev", "swift_workers",
    ]

    /// Wrangler keys about bundling and deployment that mean nothing to a Swift host: accepted without a warning.
    static let deploymentOnly: Set<String> = [
        "$schema", "account_id", "base_dir", "build", "compatibility_flags", "find_additional_modules",
        "first_party_worker", "jsx_factory", "jsx_fragment", "keep_names", "keep_vars", "legacy_env", "limits",
        "logpush", "minify", "no_bundle", "node_compat", "observability", "placement", "preserve_file_names",
        "preview_urls", "route", "routes", "rules", "send_metrics", "tail_consumers", "tsconfig", "upload_source_maps",
        "usage_model", "workers_dev",
    ]

    /// Wrangler bindings and features this runtime does not provide: accepted with a warning.
    static let unsupported: Set<String> = [
        "ai", "analytics_engine_datasets", "assets", "browser", "cloudchamber", "containers", "d1_databases",
        "data_blobs", "define", "dispatch_namespaces", "durable_objects", "hyperdrive", "images", "migrations",
        "mtls_certificates", "pipelines", "queues", "r2_buckets", "ratelimits", "secrets", "secrets_store_secrets",
        "send_email", "services", "site", "text_blobs", "unsafe", "vectorize", "version_metadata", "wasm_modules",
        "workflows",
    ]
}
