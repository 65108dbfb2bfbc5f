import Foundation
import WorkersRuntime

/// `json N`: encodes two typical response bodies N times with `JSONEncoder` and with ``JSONWriter``, alternating,
/// and prints the mean cost of each (in process, one task).
enum JSONTiming {
    struct Answer: Encodable {
        let ok: Bool
        let user: String
    }

    struct Repository: Encodable {
        let fullName: String
        let description: String?
        let isPrivate: Bool
        let stars: Int
        let topics: [String]
    }

    static let answer = Answer(ok: true, user: "bench-user")
    static let repositories = (0..<20).map {
        Repository(
            fullName: "octocat/repository-\($0)", description: $0.isMultiple(of: 3) ? nil : "A \"test\" repository\n#\($0)",
            isPrivate: $0.isMultiple(of: 2), stars: $0 * 37, topics: ["swift", "mcp"])
    }

    static func run(iterations: Int) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for round in 1...2 {
            let small = try measure { _ = try encoder.encode(answer) }
            let smallWriter = try measure { _ = try JSONWriter.encode(answer) }
            let list = try measure { _ = try encoder.encode(repositories) }
            let listWriter = try measure { _ = try JSONWriter.encode(repositories) }
            print(String(format: "round %d  {ok,user}: JSONEncoder %6.2f µs  JSONWriter %6.2f µs  (%.1f×)", round, small, smallWriter, small / smallWriter))
            print(String(format: "round %d  20 repos:  JSONEncoder %6.2f µs  JSONWriter %6.2f µs  (%.1f×)", round, list, listWriter, list / listWriter))
        }

        func measure(_ body: () throws -> Void) throws -> Double {
            let start = ContinuousClock.now
            for _ in 0..<iterations { try body() }
            return (ContinuousClock.now - start) / .microseconds(1) / Double(iterations)
        }
    }
}
