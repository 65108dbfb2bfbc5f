import Foundation
import WorkersTesting

/// nginx (the system's binary) as a round-robin reverse proxy on one loopback port, with its own prefix directory,
/// in the foreground as one process (`master_process off`), logging which upstream served each request.
final class NginxProxy: Sendable {
    /// One access-log line: `METHOD PATH STATUS UPSTREAMS`.
    struct Entry: CustomStringConvertible {
        let method: String
        let path: String
        let status: Int
        /// `$upstream_addr`: the upstreams tried, last one answered (`127.0.0.1:A, 127.0.0.1:B` after a retry).
        let upstream: String

        var description: String { "\(method) \(path) \(status) \(upstream)" }
    }

    let process: Process
    let directory: URL

    private init(process: Process, directory: URL) {
        self.process = process
        self.directory = directory
    }

    static func start(binary: URL, port: Int, upstreams: [Int], directory: URL) throws -> NginxProxy {
        for name in ["logs", "temp"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let servers = upstreams.map { "        server 127.0.0.1:\($0) max_fails=1 fail_timeout=60s;" }.joined(separator: "\n")
        let temp = directory.appendingPathComponent("temp").path
        try """
            master_process off;
            daemon off;
            worker_processes 1;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/logs/error.log warn;
            events { worker_connections 256; }
            http {
                log_format upstreams '$request_method $uri $status $upstream_addr';
                access_log \(directory.path)/logs/access.log upstreams;
                client_body_temp_path \(temp)/body;
                proxy_temp_path \(temp)/proxy;
                fastcgi_temp_path \(temp)/fastcgi;
                uwsgi_temp_path \(temp)/uwsgi;
                scgi_temp_path \(temp)/scgi;
                upstream github_mcp {
            \(servers)
                }
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://github_mcp;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_buffering off;
                        proxy_next_upstream error timeout;
                        proxy_connect_timeout 2s;
                    }
                }
            }
            """.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let proxy = NginxProxy(process: process, directory: directory)
        for _ in 0..<100 {
            if LoopbackPort.accepts(port) { return proxy }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = proxy.errorLog()
        proxy.stop()
        throw NginxProxyError(description: "nginx did not listen on 127.0.0.1:\(port): \(log)")
    }

    /// Every request served so far, in order.
    func accessLog() throws -> [Entry] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("logs/access.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count == 4, let status = Int(fields[2]) else { return nil }
            return Entry(method: String(fields[0]), path: String(fields[1]), status: status, upstream: String(fields[3]))
        }
    }

    func errorLog() -> String {
        (try? String(contentsOf: directory.appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
    }

    /// Stops nginx (SIGQUIT, its graceful stop; SIGKILL if it is still there a few seconds later).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGQUIT)
        for _ in 0..<50 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

struct NginxProxyError: Error, CustomStringConvertible {
    let description: String
}
