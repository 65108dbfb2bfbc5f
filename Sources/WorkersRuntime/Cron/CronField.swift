/// One parsed field of a ``CronExpression``: the set of values it allows, plus the Quartz-style day rules
/// (`L`, `W`, `#`) that depend on the month being looked at.
struct CronField: Sendable, Hashable {
    /// Which of the five fields this is.
    enum Kind: Int, Sendable, Hashable, CaseIterable {
        case minute, hour, dayOfMonth, month, dayOfWeek

        var name: String {
            switch self {
            case .minute: "minute"
            case .hour: "hour"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            }
        }

        /// Allowed numeric values (day-of-week accepts 7 as a second Sunday).
        var bounds: ClosedRange<Int> {
            switch self {
            case .minute: 0...59
            case .hour: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 0...7
            }
        }

        /// Three-letter names, indexed from `bounds.lowerBound`.
        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }
    }

    let kind: Kind
    /// Bit `n` set when value `n` is allowed (day-of-week 7 is stored as 0).
    var bits: UInt64 = 0
    /// The field was written starting with `*` or `?` (cron's rule for combining day-of-month and day-of-week).
    var isStar = false
    /// Day-of-month `L` (0) and `L-n` (n): that many days before the month's last day.
    var lastDayOffsets: Set<Int> = []
    /// Day-of-month `LW`: the last weekday (Monday to Friday) of the month.
    var lastWeekday = false
    /// Day-of-month `nW`: the weekday nearest to day `n`, within the same month.
    var nearestWeekdays: Set<Int> = []
    /// Day-of-week `nL`: the last such weekday of the month.
    var lastOfMonth: Set<Int> = []
    /// Day-of-week `n#k`: the k-th such weekday of the month, stored as `n * 10 + k`.
    var nthOfMonth: Set<Int> = []

    init(kind: Kind) {
        self.kind = kind
    }

    func contains(_ value: Int) -> Bool {
        bits & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value at or after `value`, if any.
    func first(atOrAfter value: Int) -> Int? {
        guard value <= kind.bounds.upperBound else { return nil }
        return (max(value, 0)...kind.bounds.upperBound).first(where: contains)
    }

    /// Whether day-of-month `day` of the given month matches this day-of-month field.
    func matchesDayOfMonth(_ day: Int, weekday: Int, daysInMonth: Int) -> Bool {
        if contains(day) { return true }
        if lastDayOffsets.contains(daysInMonth - day) { return true }
        let isWeekday = (1...5).contains(weekday)
        if lastWeekday, isWeekday {
            // The last weekday: no weekday follows it in this month.
            let daysLeft = daysInMonth - day
            let nextWeekdayOffset = weekday == 5 ? 3 : 1
            if daysLeft < nextWeekdayOffset { return true }
        }
        if isWeekday {
            for target in nearestWeekdays where Self.nearestWeekday(to: target, day: day, weekday: weekday,
                daysInMonth: daysInMonth) == day
            {
                return true
            }
        }
        return false
    }

    /// Whether a day with the given weekday matches this day-of-week field.
    func matchesDayOfWeek(_ weekday: Int, day: Int, daysInMonth: Int) -> Bool {
        if contains(weekday) { return true }
        if lastOfMonth.contains(weekday), day + 7 > daysInMonth { return true }
        if nthOfMonth.contains(weekday * 10 + (day - 1) / 7 + 1) { return true }
        return false
    }

    /// Quartz `nW`: the weekday nearest to day `target` of the month that contains `day` (whose weekday is
    /// `weekday`), never crossing into another month. `nil` when `target` is not a day of this month.
    static func nearestWeekday(to target: Int, day: Int, weekday: Int, daysInMonth: Int) -> Int? {
        guard target <= daysInMonth else { return nil }
        let targetWeekday = ((weekday + target - day) % 7 + 7) % 7
        switch targetWeekday {
        case 6: return target == 1 ? target + 2 : target - 1  // Saturday: Friday before, or Monday after the 1st
        case 0: return target == daysInMonth ? target - 2 : target + 1  // Sunday: Monday after, or Friday before
        default: return target
        }
    }
}
