extension CronField {
    /// Parses one field: a comma-separated list of `*`, `?`, values, ranges (`a-b`), steps (`*/n`, `a-b/n`, `a/n`),
    /// names (`JAN`-`DEC`, `SUN`-`SAT`), and the Quartz day rules (`L`, `L-n`, `LW`, `nW`, `nL`, `n#k`).
    init(parsing text: String, kind: Kind, expression: String) throws(CronExpressionError) {
        self.init(kind: kind)
        func fail(_ message: String) -> CronExpressionError {
            CronExpressionError(expression: expression, field: kind.name, message: message)
        }
        guard !text.isEmpty else { throw fail("empty field") }
        isStar = text.hasPrefix("*") || text.hasPrefix("?")
        for item in text.uppercased().split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("empty item in list \"\(text)\"") }
            try add(String(item), fail: fail)
        }
    }

    private mutating func add(_ item: String, fail: (String) -> CronExpressionError) throws(CronExpressionError) {
        if try addQuartzRule(item, fail: fail) { return }

        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("\"\(item)\" has more than one step") }
        let base = String(parts[0])
        var step = 1
        if parts.count == 2 {
            guard let value = Int(parts[1]), value > 0 else {
                throw fail("step \"\(parts[1])\" in \"\(item)\" must be a positive integer")
            }
            step = value
        }

        let range: ClosedRange<Int>
        if base == "*" || base == "?" {
            if base == "?", kind != .dayOfMonth, kind != .dayOfWeek {
                throw fail("\"?\" is allowed only in day-of-month and day-of-week")
            }
            range = kind == .dayOfWeek ? 0...6 : kind.bounds
        } else if let dash = base.firstIndex(of: "-") {
            let low = try value(String(base[..<dash]), in: item, fail: fail)
            let high = try value(String(base[base.index(after: dash)...]), in: item, fail: fail)
            guard low <= high else { throw fail("range \(base) runs backwards") }
            range = low...high
        } else {
            let start = try value(base, in: item, fail: fail)
            // `a/n` means "from a to the end, every n".
            range = parts.count == 2 ? start...(kind == .dayOfWeek ? 6 : kind.bounds.upperBound) : start...start
        }
        for value in stride(from: range.lowerBound, through: range.upperBound, by: step) {
            bits |= 1 << UInt64(kind == .dayOfWeek && value == 7 ? 0 : value)
        }
    }

    /// Handles `L`, `L-n`, `LW`, `nW` (day-of-month) and `nL`, `n#k` (day-of-week). Returns false for other items.
    private mutating func addQuartzRule(
        _ item: String,
        fail: (String) -> CronExpressionError
    ) throws(CronExpressionError) -> Bool {
        switch kind {
        case .dayOfMonth: guard item.contains("L") || item.contains("W") else { return false }
        case .dayOfWeek: guard item.contains("#") || item.hasSuffix("L") else { return false }
        default: return false
        }
        if kind == .dayOfMonth {
            if item == "L" {
                lastDayOffsets.insert(0)
            } else if item == "LW" {
                lastWeekday = true
            } else if item.hasPrefix("L-"), let offset = Int(item.dropFirst(2)), (0...30).contains(offset) {
                lastDayOffsets.insert(offset)
            } else if item.hasSuffix("W"), let day = Int(item.dropLast()), kind.bounds.contains(day) {
                nearestWeekdays.insert(day)
            } else {
                throw fail("\"\(item)\" is not a valid day-of-month rule (L, L-n, LW or nW with n in 1-31)")
            }
            return true
        }
        if item.hasSuffix("L"), item.count > 1 {
            lastOfMonth.insert(try value(String(item.dropLast()), in: item, fail: fail) % 7)
        } else if let hash = item.firstIndex(of: "#") {
            let weekday = try value(String(item[..<hash]), in: item, fail: fail) % 7
            guard let nth = Int(item[item.index(after: hash)...]), (1...5).contains(nth) else {
                throw fail("\"\(item)\": the week number after # must be 1-5")
            }
            nthOfMonth.insert(weekday * 10 + nth)
        } else {
            throw fail("\"\(item)\" is not a valid day-of-week rule (nL or n#k, like 5L or MON#2)")
        }
        return true
    }

    /// A number or a name, checked against the field's bounds.
    private func value(_ text: String, in item: String, fail: (String) -> CronExpressionError) throws(CronExpressionError)
        -> Int
    {
        if let number = Int(text), text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard kind.bounds.contains(number) else {
                throw fail("\(number) is out of range \(kind.bounds.lowerBound)-\(kind.bounds.upperBound)")
            }
            return number
        }
        if let index = kind.names.firstIndex(of: text) {
            return kind == .month ? index + 1 : index
        }
        if text.isEmpty { throw fail("\"\(item)\" is missing a value") }
        if kind.names.isEmpty { throw fail("\"\(text)\" is not a number") }
        let hint = kind == .month ? "JAN-DEC" : "SUN-SAT"
        throw fail("\"\(text)\" is not a number or a name (\(hint))")
    }
}
