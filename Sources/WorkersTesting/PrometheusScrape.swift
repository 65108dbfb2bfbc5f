/// A Prometheus text exposition (version 0.0.4) parsed into samples, for tests that scrape `GET /metrics`.
///
/// ```swift
/// let scrape = try PrometheusScrape(parsing: response.text)
/// #expect(scrape.value("oauth_tokens_issued_total", ["grant_type": "refresh_token"]) == 2)
/// ```
public struct PrometheusScrape: Sendable {
    /// One sample line: `name{label="value",...} value`.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// The samples, in the order of the text.
    public var samples: [Sample]
    /// The `# TYPE` of each metric family that declared one (`counter`, `histogram`, ...).
    public var types: [String: String]

    /// Parses `text`: `# TYPE` and `# HELP` comments, blank lines, and sample lines with optional labels (quoted
    /// values with `\\`, `\"` and `\n` escapes) and an optional timestamp.
    /// - Throws: ``PrometheusScrapeError`` naming the first line that is none of these.
    public init(parsing text: String) throws {
        samples = []
        types = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ")
                if words.count >= 4, words[1] == "TYPE" { types[String(words[2])] = String(words[3]) }
                continue
            }
            guard let sample = Self.sample(Substring(line)) else {
                throw PrometheusScrapeError(line: index + 1, text: String(line))
            }
            samples.append(sample)
        }
    }

    /// The value of the sample `name` whose labels are exactly `labels`, or `nil`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The samples named `name` whose labels include `labels`.
    public func samples(_ name: String, matching labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    private static func sample(_ line: Substring) -> Sample? {
        var rest = line
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }) else {
            return nil
        }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.hasPrefix("{") {
            rest = rest.dropFirst()
            while !rest.hasPrefix("}") {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let label = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard !label.isEmpty, rest.hasPrefix("\"") else { return nil }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { return nil }
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.hasPrefix("\"") else { return nil }
                rest = rest.dropFirst()
                labels[label] = value
                if rest.hasPrefix(",") { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard (1...2).contains(fields.count), let value = Self.number(fields[0]) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}

/// A line of a scrape that is not a comment, a blank or a sample.
public struct PrometheusScrapeError: Error, CustomStringConvertible {
    public let line: Int
    public let text: String
    public var description: String { "line \(line) is not a Prometheus sample: \(text)" }
}
