/// A `--connect-to` rule that does not parse.
public struct ConnectToRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, with the rule as written.
    public let description: String

    init(_ rule: String, _ problem: String) {
        description = "invalid connect-to rule \"\(rule)\": \(problem) (expected HOST:PORT:ADDRESS:ADDRESSPORT)"
    }
}
