import Crypto
import Foundation

/// How ``FileKV`` turns a key into a file name, and back.
///
/// - Bytes `a`-`z`, `0`-`9`, `-` and `_` stay as they are, and so does `.` except as the first character; every
///   other byte becomes `%XX` with upper-case hex digits. Names are therefore readable for common keys
///   (`client%3Aabc`), contain no `/`, never start with `.` (so never `.`, `..` or a hidden/temporary file), and
///   differ even on case-insensitive file systems: upper-case letters only occur inside escapes, whose positions are
///   fixed by the `%` signs.
/// - When that encoding would be longer than ``maxEncodedLength`` (a key of up to 512 bytes can triple in size,
///   past the 255-byte file-name limit), the name is `~` followed by the SHA-256 of the key in hex. `~` never
///   occurs in an encoded name, so the two forms cannot collide; the full key is stored inside the file.
enum FileKVName {
    /// The longest escaped name used before switching to a hashed name.
    static let maxEncodedLength = 200
    /// The first character of a hashed name.
    static let hashedMarker: Character = "~"

    /// The file name of `key`.
    static func encode(_ key: String) -> String {
        var name = ""
        name.reserveCapacity(key.utf8.count)
        for (offset, byte) in key.utf8.enumerated() {
            if isLiteral(byte, first: offset == 0) {
                name.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                name += "%"
                name.unicodeScalars.append(hexDigit(byte >> 4))
                name.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
            if name.utf8.count > maxEncodedLength {
                return hashed(key)
            }
        }
        return name
    }

    /// The key a name was encoded from; `nil` for hashed names (read the key from the file) and names this encoding
    /// never produces (temporary files, stray files).
    static func decode(_ name: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        var iterator = name.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if isLiteral(byte, first: bytes.isEmpty) {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        guard !bytes.isEmpty, let key = String(validating: bytes, as: UTF8.self) else { return nil }
        // Only the canonical spelling is ours: `%61` for `a` would be a second name for the same key.
        return encode(key) == name ? key : nil
    }

    /// Whether `name` is the hashed form (`~` and 64 hex digits).
    static func isHashed(_ name: String) -> Bool {
        name.first == hashedMarker && name.utf8.count == 65
            && name.utf8.dropFirst().allSatisfy { hexValue($0).map { _ in true } ?? false }
    }

    private static func hashed(_ key: String) -> String {
        let digest = SHA256.hash(data: Data(key.utf8))
        return String(hashedMarker) + digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func isLiteral(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "."):
            return !first
        default:
            return false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
