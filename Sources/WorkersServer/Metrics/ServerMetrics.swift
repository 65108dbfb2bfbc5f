import Metrics
import Prometheus
import Synchronization
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
        let key = RequestKey(route: route?.description ?? "other", status: status)
        let (counter, timer) = requestHandles.withLock { handles in
            if let known = handles[key] { return known }
            let made = (
                Metrics.Counter(label: requests, dimensions: [("route", key.route), ("status", String(status))]),
                Metrics.Timer(label: requestDuration, dimensions: [("route", key.route)])
            )
            handles[key] = made
            return made
        }
        counter.increment()
        timer.record(duration: duration)
    }

    /// The timer of one KV operation (`get`, `put`, `delete`, `list`, `commit`) on `backend`.
    static func kvTimer(_ operation: String, backend: String) -> Metrics.Timer {
        Metrics.Timer(label: kvDuration, dimensions: [("operation", operation), ("backend", backend)])
    }

    private struct RequestKey: Hashable {
        let route: String
        let status: Int
    }

    /// The counter and timer of each route and status seen, so that a request costs a lookup, not the registry's
    /// name checks and lock (the set is bounded: literal route names times status codes).
    private static let requestHandles = Mutex<[RequestKey: (Metrics.Counter, Metrics.Timer)]>([:])
}
