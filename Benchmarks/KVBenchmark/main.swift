// Operations per second of the KV backends at several sizes, with raw SQLite as the physical reference.
//
//     swift build -c release --product kv-benchmark && .build/release/kv-benchmark
//     kv-benchmark --sizes 10000,1000000 --file-max 100000 --seconds 2 --dir /tmp/kv-bench
//
// Keys are `key:00000000` ... (8 digits), values 100 bytes. Every backend gets the same reproducible sequence of
// keys. get: random existing keys. put: overwrites of random keys (each one a durable commit or fsync).
// list: `list(prefix: "key:NNNNNN", limit: 100)` (100 matching keys) at random. delete: distinct existing keys.
import Foundation
import WorkersKV

/// What to run; parsed from the command line.
struct Settings: Sendable {
    var sizes = [10_000, 1_000_000]
    var fileMax = 100_000
    var seconds = 2.0
    var root = FileManager.default.temporaryDirectory.appendingPathComponent("kv-benchmark-\(getpid())")

    static let usage = "usage: kv-benchmark [--sizes N,N...] [--file-max N] [--seconds S] [--dir PATH]  (N >= 100)"

    /// Parses the arguments; `nil` when one is unknown or malformed. Sizes are at least 100 keys (`list` reads
    /// groups of 100).
    init?(arguments: [String]) {
        var arguments = arguments.makeIterator()
        while let argument = arguments.next() {
            let value = arguments.next()
            switch (argument, value) {
            case ("--sizes", let list?):
                let parsed = list.split(separator: ",").compactMap { Int($0) }.filter { $0 >= 100 }
                guard !parsed.isEmpty, parsed.count == list.split(separator: ",").count else { return nil }
                sizes = parsed
            case ("--file-max", let number?):
                guard let parsed = Int(number), parsed >= 100 else { return nil }
                fileMax = parsed
            case ("--seconds", let number?):
                guard let parsed = Double(number), parsed > 0 else { return nil }
                seconds = parsed
            case ("--dir", let path?):
                root = URL(fileURLWithPath: path)
            default:
                return nil
            }
        }
    }
}

func key(_ index: Int) -> String {
    let digits = String(index)
    return "key:" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

func prefix(_ group: Int) -> String {
    String(key(group * 100).dropLast(2))
}

let value = Data(repeating: UInt8(ascii: "v"), count: 100)

struct Row: Sendable {
    var backend: String
    var keys: Int
    var get: Double
    var getConcurrent: Double?
    var put: Double
    var list: Double
    var delete: Double
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func runRaw(size: Int, _ settings: Settings) -> Row {
    let seconds = settings.seconds
    let now = Int(Date().timeIntervalSince1970)
    let raw = RawSQLite(path: settings.root.appendingPathComponent("raw-\(size).sqlite").path)
    raw.populate(count: size, key: key, value: value)
    var random = RandomIndices(seed: 42)
    let get = measure(count: 1_000_000, seconds: seconds) { _ in _ = raw.get(key(random.next(below: size))) }
    let put = measure(count: 20_000, seconds: seconds) { _ in raw.put(key(random.next(below: size)), value) }
    let list = measure(count: 200_000, seconds: seconds) { _ in
        _ = raw.list(prefix: prefix(random.next(below: size / 100)), limit: 100, now: now)
    }
    let delete = measure(count: 20_000, seconds: seconds) { index in raw.delete(key(index * 7919 % size)) }
    return Row(backend: "raw sqlite3", keys: size, get: get, put: put, list: list, delete: delete)
}

/// Nonisolated, so the awaited KV calls run without executor hops, as they would in a request handler.
func run(_ name: String, kv: any KVNamespace, size: Int, seconds: Double) async throws -> Row {
    var random = RandomIndices(seed: 42)
    let get = try await measure(count: 1_000_000, seconds: seconds) { _ in
        _ = try await kv.getEntry(key(random.next(below: size)))
    }
    let concurrent = try await measureConcurrently(tasks: 8, count: Int(get * seconds)) { index in
        _ = try await kv.getEntry(key(index * 7919 % size))
    }
    let put = try await measure(count: 20_000, seconds: seconds) { _ in
        try await kv.put(key(random.next(below: size)), value)
    }
    let list = try await measure(count: 200_000, seconds: seconds) { _ in
        _ = try await kv.list(prefix: prefix(random.next(below: size / 100)), limit: 100)
    }
    let delete = try await measure(count: 20_000, seconds: seconds) { index in
        try await kv.delete(key(index * 7919 % size))
    }
    return Row(backend: name, keys: size, get: get, getConcurrent: concurrent, put: put, list: list, delete: delete)
}

/// Writes FileKV's files directly in its documented format (bulk loading without a fsync per file).
func populateFiles(in directory: URL, count: Int) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for index in 0..<count {
        let name = key(index)
        var data = Data("{\"key\":\"\(name)\",\"valueLength\":\(value.count),\"version\":1}\n".utf8)
        data.append(value)
        try data.write(to: directory.appendingPathComponent(FileKV.fileName(for: name)))
    }
}

func runAll(_ settings: Settings) async throws -> [Row] {
    let root = settings.root
    var rows: [Row] = []
    for size in settings.sizes {
        log("raw sqlite3, \(size) keys")
        rows.append(runRaw(size: size, settings))

        let sqlitePath = root.appendingPathComponent("kv-\(size).sqlite")
        RawSQLite(path: sqlitePath.path).populate(count: size, key: key, value: value)
        for inlineGets in [true, false] {
            log("SQLiteKV (inlineGets: \(inlineGets)), \(size) keys")
            let sqlite = try SQLiteKV(path: sqlitePath, configuration: .init(inlineGets: inlineGets))
            let name = inlineGets ? "SQLiteKV" : "SQLiteKV (inlineGets off)"
            rows.append(try await run(name, kv: sqlite, size: size, seconds: settings.seconds))
            try sqlite.close()
        }

        let fileSize = min(size, settings.fileMax)
        log("FileKV, \(fileSize) keys")
        let directory = root.appendingPathComponent("files-\(fileSize)", isDirectory: true)
        try populateFiles(in: directory, count: fileSize)
        rows.append(try await run("FileKV", kv: try FileKV(directory: directory), size: fileSize, seconds: settings.seconds))
        try? FileManager.default.removeItem(at: directory)
    }
    return rows
}

guard let settings = Settings(arguments: Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data((Settings.usage + "\n").utf8))
    exit(2)
}
let sizes = settings.sizes
try? FileManager.default.removeItem(at: settings.root)
try FileManager.default.createDirectory(at: settings.root, withIntermediateDirectories: true)
let rows = try await runAll(settings)
try? FileManager.default.removeItem(at: settings.root)

func format(_ value: Double) -> String {
    value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
}

print("| backend | keys | get ops/s | get µs | get ×8 tasks ops/s | put ops/s | list(prefix, 100) ops/s | delete ops/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in rows {
    let cells = [
        row.backend, String(row.keys), format(row.get), String(format: "%.2f", 1e6 / row.get),
        row.getConcurrent.map(format) ?? "-", format(row.put), format(row.list), format(row.delete),
    ]
    print("| " + cells.joined(separator: " | ") + " |")
}
for size in sizes {
    guard let raw = rows.first(where: { $0.backend == "raw sqlite3" && $0.keys == size }) else { continue }
    for kv in rows where kv.backend.hasPrefix("SQLiteKV") && kv.keys == size {
        print("\(kv.backend).get / raw get at \(size) keys: \(String(format: "%.0f%%", 100 * kv.get / raw.get))"
            + " sequential, \(String(format: "%.0f%%", 100 * (kv.getConcurrent ?? 0) / raw.get)) with 8 tasks")
    }
}
if let small = sizes.first, let large = sizes.last, small != large {
    for backend in ["raw sqlite3", "SQLiteKV", "SQLiteKV (inlineGets off)"] {
        guard let a = rows.first(where: { $0.backend == backend && $0.keys == small }),
            let b = rows.first(where: { $0.backend == backend && $0.keys == large })
        else { continue }
        print("\(backend) get latency \(large) / \(small) keys: \(String(format: "%.2fx", a.get / b.get))")
    }
}
