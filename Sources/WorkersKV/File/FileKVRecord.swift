import Foundation
import WorkersRuntime

/// The content of one ``FileKV`` file: a one-line JSON header, a newline, then the raw value.
///
/// ```
/// {"expiration":1767225600,"key":"client:abc","metadata":{"v":1},"valueLength":5,"version":1}
/// hello
/// ```
///
/// The header carries the full key (so hashed file names can be listed), the metadata and the absolute
/// expiration. JSON never contains a raw newline, so the first `\n` ends the header; `valueLength` must match the
/// bytes that follow, so a truncated or padded file does not parse.
struct FileKVRecord: Sendable, Equatable {
    /// The header line.
    struct Header: Codable, Sendable, Equatable {
        var version: Int
        var key: String
        var expiration: Int?
        var metadata: JSONValue?
        var valueLength: Int

        private enum CodingKeys: String, CodingKey {
            case version, key, expiration, metadata, valueLength
        }

        init(version: Int, key: String, expiration: Int?, metadata: JSONValue?, valueLength: Int) {
            self.version = version
            self.key = key
            self.expiration = expiration
            self.metadata = metadata
            self.valueLength = valueLength
        }

        // Metadata `null` is a value (JSONValue.null), told apart from no metadata (the field is absent).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(Int.self, forKey: .version)
            key = try container.decode(String.self, forKey: .key)
            expiration = try container.decodeIfPresent(Int.self, forKey: .expiration)
            // Not a ternary with `nil`: JSONValue is ExpressibleByNilLiteral, so that `nil` would become `.null`.
            if container.contains(.metadata) {
                metadata = try container.decode(JSONValue.self, forKey: .metadata)
            } else {
                metadata = Optional<JSONValue>.none
            }
            valueLength = try container.decode(Int.self, forKey: .valueLength)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(key, forKey: .key)
            try container.encodeIfPresent(expiration, forKey: .expiration)
            if let metadata { try container.encode(metadata, forKey: .metadata) }
            try container.encode(valueLength, forKey: .valueLength)
        }
    }

    /// A file that is not a well-formed record.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let version = 1

    var header: Header
    var value: Data

    init(key: String, value: Data, metadata: JSONValue?, expiration: Int?) {
        header = Header(
            version: Self.version,
            key: key,
            expiration: expiration,
            metadata: metadata,
            valueLength: value.count
        )
        self.value = value
    }

    /// The bytes to write.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(header)
        data.append(UInt8(ascii: "\n"))
        data.append(value)
        return data
    }

    /// Parses a whole file.
    init(parsing data: Data) throws {
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else {
            throw Malformed(description: "no header line")
        }
        let header = try Self.parseHeader(data[data.startIndex..<newline])
        let value = data[(newline + 1)...]
        guard value.count == header.valueLength else {
            throw Malformed(description: "value is \(value.count) bytes, header says \(header.valueLength)")
        }
        self.header = header
        self.value = Data(value)
    }

    /// Parses a header line (without its newline).
    static func parseHeader(_ line: Data) throws -> Header {
        let header = try JSONDecoder().decode(Header.self, from: line)
        guard header.version == version else {
            throw Malformed(description: "unknown record version \(header.version)")
        }
        return header
    }
}
