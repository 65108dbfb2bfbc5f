import Foundation
import WorkersTesting

/// What the scale-out proof needs besides this package's executables: nginx, PostgreSQL's server binaries, and a
/// Python with the `mcp` SDK.
struct ScaleOutParts {
    let nginx: URL
    let python: URL

    /// The parts on this machine, or `nil` when one is missing.
    static let found: ScaleOutParts? = {
        guard let nginx = nginxBinary(), let python = pythonWithMCP(), PostgresServer.shouldRun else { return nil }
        return ScaleOutParts(nginx: nginx, python: python)
    }()

    /// Whether to run: the parts are here, or `REQUIRE_SCALE_OUT=1` says to fail without them.
    static var shouldRun: Bool {
        found != nil || ProcessInfo.processInfo.environment["REQUIRE_SCALE_OUT"] == "1"
    }

    static let missingHint = """
        needs nginx (apt-get install nginx), PostgreSQL's server binaries (apt-get install postgresql) and a Python \
        with the MCP SDK (MCP_PYTHON, or .venv-ci/bin/python from pip install -r Tests/python/requirements.txt); \
        REQUIRE_SCALE_OUT=1 makes their absence a failure
        """

    static func nginxBinary() -> URL? {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/nginx" }
            + ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }.map { URL(fileURLWithPath: $0) }
    }

    static func pythonWithMCP() -> URL? {
        var candidates: [String] = []
        if let configured = ProcessInfo.processInfo.environment["MCP_PYTHON"] { candidates.append(configured) }
        candidates.append(ScaleOutTests.repository.appendingPathComponent(".venv-ci/bin/python").path)
        candidates.append("/usr/bin/python3")
        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: path)
            probe.arguments = ["-c", "import mcp, httpx2, pytest"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { continue }
            probe.waitUntilExit()
            if probe.terminationStatus == 0 { return URL(fileURLWithPath: path) }
        }
        return nil
    }
}
