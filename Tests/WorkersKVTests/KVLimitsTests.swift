import Foundation
import Testing
import WorkersKV
import WorkersRuntime

/// Every Workers KV limit, with the error it gives, run against every backend.
@Suite("KV limits")
struct KVLimitsTests {
    @Test("keys: empty, '.', '..' and over 512 bytes are rejected; 512 bytes is accepted",
          arguments: KVBackendUnderTest.all)
    func keyLimits(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            for key in ["", ".", ".."] {
                for operation in ["GET", "PUT", "DELETE"] {
                    let error = await #expect(throws: KVError.self) {
                        switch operation {
                        case "GET": _ = try await kv.get(key)
                        case "PUT": try await kv.put(key, "v")
                        default: try await kv.delete(key)
                        }
                    }
                    #expect(error?.status == 400)
                    #expect(error?.operation == operation)
                }
            }
            // 171 three-byte characters = 513 bytes although only 171 characters.
            let long = String(repeating: "€", count: 171)
            let error = await #expect(throws: KVError.self) { try await kv.put(long, "v") }
            #expect(error?.status == 414)
            #expect(error?.message.contains("513") == true)
            #expect(error?.message.contains("512") == true)
            await #expect(throws: KVError.self) { _ = try await kv.get(long) }

            let longest = String(repeating: "€", count: 170) + "ab"  // 512 bytes
            let longestASCII = String(repeating: "x", count: 512)
            try await kv.put(longest, "non-ascii")
            try await kv.put(longestASCII, "ascii")
            #expect(try await kv.get(longest) == "non-ascii")
            #expect(try await kv.get(longestASCII) == "ascii")
            #expect(Set(try await kv.list().keys.map(\.name)) == [longest, longestASCII])
            #expect(try await kv.list(prefix: "€€€").keys.map(\.name) == [longest])
            try await kv.delete(longest)
            #expect(try await kv.get(longest) == nil)
        }
    }

    @Test("values: 25 MiB is accepted, one byte more is rejected with 413", arguments: KVBackendUnderTest.all)
    func valueLimit(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            var largest = Data(count: KVLimits.maxValueBytes)
            largest[0] = 1
            largest[largest.count - 1] = 2
            try await kv.put("large", largest)
            #expect(try await kv.get("large", as: Data.self) == largest)

            let error = await #expect(throws: KVError.self) {
                try await kv.put("too-large", Data(count: KVLimits.maxValueBytes + 1))
            }
            #expect(error?.status == 413)
            #expect(error?.message.contains("\(KVLimits.maxValueBytes + 1)") == true)
            #expect(try await kv.get("too-large") == nil)
        }
    }

    @Test("metadata: 1024 serialised bytes is accepted, 1025 is rejected with 413", arguments: KVBackendUnderTest.all)
    func metadataLimit(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            // A JSON string of n characters serialises to n + 2 bytes.
            let fits: JSONValue = .string(String(repeating: "m", count: 1022))
            try await kv.put("fits", "v", metadata: fits)
            #expect(try await kv.getWithMetadata("fits")?.metadata == fits)

            let error = await #expect(throws: KVError.self) {
                try await kv.put("too-much", "v", metadata: .string(String(repeating: "m", count: 1023)))
            }
            #expect(error?.status == 413)
            #expect(error?.message.contains("1025") == true)
            #expect(try await kv.get("too-much") == nil)
        }
    }

    @Test("list: limits outside 1...1000 and malformed cursors are rejected", arguments: KVBackendUnderTest.all)
    func listLimits(backend: KVBackendUnderTest) async throws {
        try await withNamespace(backend) { kv, _ in
            for limit in [0, -1, 1001] {
                let error = await #expect(throws: KVError.self) { _ = try await kv.list(limit: limit) }
                #expect(error?.status == 400)
                #expect(error?.message.contains("\(limit)") == true)
            }
            _ = try await kv.list(limit: 1)
            _ = try await kv.list(limit: 1000)
            await #expect(throws: KVError.self) { _ = try await kv.list(cursor: "%%% not base64 %%%") }
        }
    }
}
