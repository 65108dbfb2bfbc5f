// The child process of the crash tests: writes a stream of puts and prints `ack <n>` after each one returns,
// until it is killed.
//
//     KVCrashWriter sqlite /tmp/x/kv.sqlite
//     KVCrashWriter file /tmp/x/kv
//
// Write n puts key `k<n % 50>` with value `crashValue(n)`, so later writes replace earlier ones.
import Foundation
import WorkersKV
import WorkersRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: KVCrashWriter sqlite|file PATH\n".utf8))
    exit(2)
}
let path = URL(fileURLWithPath: arguments[2])
let kv: any KVNamespace =
    switch arguments[1] {
    case "sqlite": try SQLiteKV(path: path)
    case "file": try FileKV(directory: path)
    default: fatalError("unknown backend \(arguments[1])")
    }

/// `n`, then enough bytes derived from `n` (16 KiB to 80 KiB) that a torn value would not pass the check.
func crashValue(_ n: Int) -> Data {
    let header = Data("\(n):".utf8)
    let length = 16 * 1024 + (n * 7919) % (64 * 1024)
    return header + Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) })
}

var n = 0
while true {
    try await kv.put("k\(n % 50)", bytes: crashValue(n), options: KVPutOptions(metadata: .number(Double(n))))
    // The put returned: it is acknowledged. Unbuffered write, so the parent sees it before any kill.
    let line = "ack \(n)\n"
    _ = line.withCString { write(1, $0, strlen($0)) }
    n += 1
}
