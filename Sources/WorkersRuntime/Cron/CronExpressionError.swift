/// Why a cron expression was rejected, naming the field at fault.
///
/// ```
/// invalid cron expression "0 0 32 * *": day-of-month: 32 is out of range 1-31
/// ```
public struct CronExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as given.
    public let expression: String
    /// The field at fault (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), or `nil` for the whole expression.
    public let field: String?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(expression: String, field: String? = nil, message: String) {
        self.expression = expression
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = field.map { "\($0): " } ?? ""
        return "invalid cron expression \"\(expression)\": \(location)\(message)"
    }
}
