import Foundation
import Testing
import WorkersKV
import WorkersRuntime

@testable import WorkersServer

@Suite struct KVBulkRecordTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func record(_ json: String) throws(KVBulkRecord.Invalid) -> KVBulkRecord {
        try KVBulkRecord(json: Array(json.utf8), now: now)
    }

    func reason(_ json: String) -> String? {
        do {
            _ = try record(json)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func textBase64ExpirationTTLAndMetadata() throws {
        let text = try record(#"{"key":"k","value":"h\u00e9llo","expiration":1800000600,"metadata":{"a":[1]}}"#)
        #expect(text.key == "k" && text.value == Data("héllo".utf8))
        #expect(text.options == KVPutOptions(expiration: 1_800_000_600, metadata: ["a": [1]]))
        let binary = try record(#"{"key":"b","value":"AP8B","base64":true,"expiration_ttl":3600,"extra":1}"#)
        #expect(binary.value == Data([0, 255, 1]) && binary.options.expirationTtl == 3600)
        #expect(binary.unknownProperties == ["extra"])
        #expect(try record(#"{"key":"n","value":"AP8B","base64":false,"metadata":null}"#).value == Data("AP8B".utf8))
    }

    @Test("wrangler's type rules and the KV limits give a reason", arguments: [
        (#"[1]"#, "not an object but an array"),
        (#"{"value":"v"}"#, "no \"key\""),
        (#"{"key":1,"value":"v"}"#, "\"key\" is a number, not a string"),
        (#"{"key":"k"}"#, "no \"value\""),
        (#"{"key":"k","value":{"a":1}}"#, "\"value\" is an object, not a string"),
        (#"{"key":"k","value":"@@","base64":true}"#, "\"value\" is not valid base64"),
        (#"{"key":"k","value":"v","base64":"yes"}"#, "\"base64\" is a string, not a boolean"),
        (#"{"key":"k","value":"v","expiration":"soon"}"#, "\"expiration\" is a string, not a number"),
        (#"{"key":"k","value":"v","expiration_ttl":90.5}"#, "\"expiration_ttl\" is 90.5, not a whole number of seconds"),
        (#"{"key":"k","value":"v","expiration_ttl":30}"#, "Expiration TTL must be at least 60"),
        (#"{"key":"k","value":"v","expiration":1800000010}"#, "at least 60 seconds in the future"),
        (#"{"key":"k","value":"v","metadata":"m"}"#, "\"metadata\" is a string, not an object"),
        (#"{"key":"","value":"v"}"#, "must not be empty"),
        (#"{"key":"k","value":"v""#, "not valid JSON"),
    ])
    func invalid(json: String, expected: String) {
        #expect(reason(json)?.contains(expected) == true, "\(reason(json) ?? "valid")")
    }

    @Test func limits() {
        let longKey = String(repeating: "k", count: KVLimits.maxKeyBytes + 1)
        #expect(reason(#"{"key":"\#(longKey)","value":"v"}"#)?.contains("exceeds key length limit") == true)
        let bigMetadata = String(repeating: "m", count: KVLimits.maxMetadataBytes)
        #expect(reason(#"{"key":"k","value":"v","metadata":{"m":"\#(bigMetadata)"}}"#)?.contains("Metadata length") == true)
    }
}
