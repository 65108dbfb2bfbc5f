/// Reads dotenv text into entries that remember which lines they came from (so a file can be edited in place).
struct DotEnvScanner {
    struct Entry {
        var name: String
        var value: String
        /// 0-based lines the entry spans (more than one for a quoted value with newlines).
        var lines: ClosedRange<Int>
    }

    private let scalars: [Unicode.Scalar]
    private let file: String
    private var index = 0
    private var line = 0

    init(_ text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func fail(_ message: String, line: Int? = nil) -> DotEnvError {
        DotEnvError(file: file, line: (line ?? self.line) + 1, message: message)
    }

    private mutating func skipBlanks() {
        while current == " " || current == "\t" { index += 1 }
    }

    /// Skips to the end of the line, leaving the newline unconsumed.
    private mutating func skipToEndOfLine() {
        while let scalar = current, scalar != "\n" { index += 1 }
    }

    private func isEndOfLine(_ scalar: Unicode.Scalar?) -> Bool {
        scalar == nil || scalar == "\n" || scalar == "\r"
    }

    mutating func scan() throws(DotEnvError) -> [Entry] {
        var entries: [Entry] = []
        while index < scalars.count {
            skipBlanks()
            if current == "#" { skipToEndOfLine() }
            if current == "\r" { index += 1 }
            if current == nil { break }
            if current == "\n" {
                index += 1
                line += 1
                continue
            }
            entries.append(try entry())
        }
        return entries
    }

    private mutating func entry() throws(DotEnvError) -> Entry {
        let firstLine = line
        if hasPrefix("export"), index + 6 < scalars.count, scalars[index + 6] == " " || scalars[index + 6] == "\t" {
            index += 6
            skipBlanks()
        }
        var name = ""
        while let scalar = current, scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "." || scalar == "-"
        {
            name.unicodeScalars.append(scalar)
            index += 1
        }
        guard !name.isEmpty else { throw fail("expected NAME=value") }
        skipBlanks()
        guard current == "=" else { throw fail("expected \"=\" after \(name)") }
        index += 1
        skipBlanks()

        let value: String
        if let quote = current, quote == "\"" || quote == "'" || quote == "`" {
            value = try quoted(quote, name: name, firstLine: firstLine)
            skipBlanks()
            if current == "#" { skipToEndOfLine() }
            if current == "\r" { index += 1 }
            guard isEndOfLine(current) else { throw fail("unexpected text after the closing quote of \(name)") }
        } else {
            var raw = String.UnicodeScalarView()
            while let scalar = current, scalar != "#", scalar != "\n" {
                raw.append(scalar)
                index += 1
            }
            skipToEndOfLine()
            value = String(raw).trimmingBlanks()
        }
        let lastLine = line
        if current == "\n" {
            index += 1
            line += 1
        }
        return Entry(name: name, value: value, lines: firstLine...lastLine)
    }

    /// A quoted value; in double quotes `\n`, `\r`, `\t`, `\"` and `\\` are escapes (other backslashes are kept).
    private mutating func quoted(_ quote: Unicode.Scalar, name: String, firstLine: Int) throws(DotEnvError) -> String {
        index += 1
        var value = String.UnicodeScalarView()
        while let scalar = current {
            index += 1
            if scalar == quote { return String(value) }
            if scalar == "\n" { line += 1 }
            if scalar == "\\", quote == "\"", let next = current {
                let escapes: [Unicode.Scalar: Unicode.Scalar] = ["n": "\n", "r": "\r", "t": "\t", "\"": "\"", "\\": "\\"]
                if let replacement = escapes[next] {
                    value.append(replacement)
                    index += 1
                    continue
                }
            }
            value.append(scalar)
        }
        throw fail("unterminated quoted value for \(name)", line: firstLine)
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        let prefixScalars = Array(prefix.unicodeScalars)
        return scalars.count - index >= prefixScalars.count
            && Array(scalars[index..<index + prefixScalars.count]) == prefixScalars
    }
}

extension String {
    func trimmingBlanks() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
