/// Base64url decoding (RFC 4648 §5) over bytes, with or without padding; the standard alphabet's `+` and `/` are
/// read too. Hand-written because Foundation's route (replace characters in a `String`, then
/// `Data(base64Encoded:)`) bridges through `NSString`: for the payload of a JWT checked on every API call it cost more
/// than the rest of the call (docs/benchmarks.md, "JWT access tokens").
package enum Base64URL {
    /// The 6-bit value of each byte, 0xFF for a byte outside the alphabet.
    private static let values: [UInt8] = {
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            values[Int(character)] = UInt8(value)
        }
        values[Int(UInt8(ascii: "+"))] = 62
        values[Int(UInt8(ascii: "/"))] = 63
        return values
    }()

    /// The decoded bytes, or `nil` for a byte outside the alphabet, more than two `=` at the end, or a length no
    /// encoding has.
    package static func decode<Bytes: Collection>(_ encoded: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        if let decoded = encoded.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(encoded).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    private static func decode(buffer encoded: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var length = encoded.count
        var padding = 0
        var index = encoded.count
        while padding < 2, index > 0, encoded[index - 1] == UInt8(ascii: "=") {
            index -= 1
            padding += 1
            length -= 1
        }
        guard length % 4 != 1, padding == 0 || (length + padding) % 4 == 0 else { return nil }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(length * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        let values = Self.values
        for byte in UnsafeBufferPointer(rebasing: encoded[..<index]) {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                decoded.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return decoded
    }
}
