import Foundation

/// Finds the line of a key in TOML text, for error messages (TOMLKit reports positions only for syntax errors).
///
/// It records every table header (`[a.b]`, `[[a]]`) and every `key = value` line under its table path; a key inside
/// an inline table or an array is found by searching after its nearest recorded ancestor. Best effort by design:
/// it only ever improves an error message.
struct TOMLKeyLocator: ConfigKeyLocator {
    typealias Position = ConfigKeyPosition

    private var positions: [ConfigKeyPath: Position] = [:]
    /// For each line (0-based), whether it is a table header.
    private var headerLines: [Bool] = []
    private let lines: [Substring]

    init(text: String) {
        // Split on scalars: "\r\n" is a single Character, so a Character split would miss CRLF line ends.
        lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Substring(String(String.UnicodeScalarView($0))) }
        var table = ConfigKeyPath([])
        var arrayCounts: [ConfigKeyPath: Int] = [:]
        var inMultilineString = false
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            let position = Position(line: offset + 1, column: line.count - trimmed.count + 1)
            let isHeader = !inMultilineString && trimmed.hasPrefix("[")
            headerLines.append(isHeader)
            defer {
                let quotes = line.components(separatedBy: "\"\"\"").count - 1 + line.components(separatedBy: "'''").count - 1
                if quotes % 2 == 1 { inMultilineString.toggle() }
            }
            guard !inMultilineString, !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            if trimmed.hasPrefix("[[") {
                guard let end = trimmed.range(of: "]]") else { continue }
                let path = ConfigKeyPath(Self.dottedKey(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<end.lowerBound]))
                let index = arrayCounts[path, default: 0]
                arrayCounts[path] = index + 1
                table = path.appending(index: index)
                record(path, position)
                record(table, position)
            } else if trimmed.hasPrefix("[") {
                guard let end = trimmed.firstIndex(of: "]") else { continue }
                table = ConfigKeyPath(Self.dottedKey(trimmed[trimmed.index(after: trimmed.startIndex)..<end]))
                record(table, position)
            } else if let equals = Self.firstUnquoted("=", in: trimmed) {
                record(ConfigKeyPath(table.components + Self.dottedKey(trimmed[..<equals])), position)
            }
        }
    }

    private mutating func record(_ path: ConfigKeyPath, _ position: Position) {
        if positions[path] == nil { positions[path] = position }
    }

    /// The position of `path`: exact when recorded, else found after its nearest recorded ancestor.
    func position(of path: ConfigKeyPath) -> Position? {
        if let exact = positions[path] { return exact }
        var prefix = path.components
        while !prefix.isEmpty {
            prefix.removeLast()
            guard let ancestor = positions[ConfigKeyPath(prefix)] else { continue }
            guard let key = path.lastKey, path.components.count > prefix.count else { return ancestor }
            // Search the ancestor's line and the lines after it, up to the next table header. For `array[i].key`
            // inside an inline array, skip to the (i+1)-th occurrence of the key.
            var skip = 0
            if path.components.count == prefix.count + 2, case .index(let element) = path.components[prefix.count] {
                skip = element
            }
            var index = ancestor.line - 1
            while index < lines.count, index == ancestor.line - 1 || !headerLines[index] {
                var consumed = 0
                while let column = Self.column(ofKey: key, in: lines[index].dropFirst(consumed)) {
                    if skip == 0 { return Position(line: index + 1, column: consumed + column) }
                    skip -= 1
                    consumed += column - 1 + key.count
                }
                index += 1
            }
            return ancestor
        }
        return nil
    }

    /// The 1-based column where `key = ` starts in `line`, if it does.
    private static func column(ofKey key: String, in line: Substring) -> Int? {
        var searchStart = line.startIndex
        while let range = line.range(of: key, range: searchStart..<line.endIndex) {
            let before = range.lowerBound == line.startIndex ? " " : line[line.index(before: range.lowerBound)]
            let after = line[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" || $0 == "\"" })
            if " \t{,\"".contains(before), after.hasPrefix("=") {
                return line.distance(from: line.startIndex, to: range.lowerBound) + 1
            }
            searchStart = range.upperBound
        }
        return nil
    }

    /// Splits `a."b.c" . d` into its keys.
    static func dottedKey(_ text: Substring) -> [ConfigKeyPath.Component] {
        var keys: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                keys.append(current)
                current = ""
            } else if character != " " && character != "\t" {
                current.append(character)
            }
        }
        keys.append(current)
        return keys.map(ConfigKeyPath.Component.key)
    }

    private static func firstUnquoted(_ target: Character, in text: Substring) -> Substring.Index? {
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == target {
                return index
            }
        }
        return nil
    }
}
