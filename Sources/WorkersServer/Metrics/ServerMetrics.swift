import Metrics
import Prometheus
import WorkersRuntime

/// What the server records through swift-metrics when ``WorkerServer/Configuration/metricsListen`` is set
/// (docs/operations.md), and the Prometheus registry behind `GET /metrics`. Label values come from a fixed set (route
/// names the handlers chose as string literals, status codes, KV operation and backend names), never from requests.
enum ServerMetrics {
    static let requests = "workers_http_requests_total"
    static let requestDuration = "workers_http_request_duration_seconds"
    static let kvDuration = "workers_kv_operation_duration_seconds"

    /// Buckets of the request histogram: 1 ms to 10 s.
    static let requestBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10),
    ]
    /// Buckets of the KV histogram: 50 µs (a SQLite read) to 1 s (a database far away).
    static let kvBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .seconds(1),
    ]

    /// The registry every metric of this process goes to, made the swift-metrics backend the first time it is read
    /// (once per process: `MetricsSystem.bootstrap` may run only once).
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [requestDuration: requestBuckets, kvDuration: kvBuckets]
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// One answered request: `route` (`other` when the handler named none) and the exact status code.
    static func request(route: StaticString?, status: Int, duration: Duration) {
        let route = route?.description ?? "other"
        Metrics.Counter(label: requests, dimensions: [("route", route), ("status", String(status))]).increment()
        Metrics.Timer(label: requestDuration, dimensions: [("route", route)]).record(duration: duration)
    }

    /// One KV operation (`get`, `put`, `delete`, `list`, `commit`) on `backend`, whether it succeeded or threw.
    static func kvOperation(_ operation: String, backend: String, duration: Duration) {
        Metrics.Timer(label: kvDuration, dimensions: [("operation", operation), ("backend", backend)]).record(duration: duration)
    }
}
