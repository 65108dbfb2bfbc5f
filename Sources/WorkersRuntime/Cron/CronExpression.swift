public import Foundation

/// A five-field cron expression, as used by `[triggers] crons`, evaluated in UTC at minute resolution.
///
/// Fields are `minute hour day-of-month month day-of-week`. Each field is a comma-separated list of `*`, values,
/// ranges (`1-5`), steps (`*/15`, `0-30/10`, `5/20`), month names (`JAN`-`DEC`) and day names (`SUN`-`SAT`),
/// case-insensitive; both `0` and `7` are Sunday. As in Cloudflare's cron triggers, the Quartz rules `L` (last day,
/// `L-n`), `LW` (last weekday), `nW` (nearest weekday), `nL` (last such weekday) and `n#k` (k-th such weekday)
/// are accepted in the day fields.
///
/// When both day-of-month and day-of-week are restricted (neither starts with `*` or `?`), a day matches when
/// *either* matches, as in classic cron: `0 0 1 * MON` runs on the 1st and on every Monday.
///
/// ```swift
/// let cron = try CronExpression("*/5 9-17 * * MON-FRI")
/// cron.matches(date)          // is `date`'s minute one of the scheduled minutes?
/// cron.next(after: .now)      // the next scheduled minute
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression exactly as written (what ``ScheduledController/cron`` reports).
    public let source: String
    private let minute: CronField
    private let hour: CronField
    private let dayOfMonth: CronField
    private let month: CronField
    private let dayOfWeek: CronField

    /// Parses a five-field cron expression.
    /// - Parameter expression: for example `"*/3 * * * *"` or `"0 15 1 * *"`.
    /// - Throws: ``CronExpressionError`` naming the field at fault.
    public init(_ expression: String) throws {
        source = expression
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronExpressionError(
                expression: expression,
                message: "expected 5 fields (minute hour day-of-month month day-of-week), got \(fields.count)"
            )
        }
        var parsed: [CronField] = []
        for (text, kind) in zip(fields, CronField.Kind.allCases) {
            parsed.append(try CronField(parsing: String(text), kind: kind, expression: expression))
        }
        (minute, hour, dayOfMonth, month, dayOfWeek) = (parsed[0], parsed[1], parsed[2], parsed[3], parsed[4])
    }

    public var description: String { source }

    /// Whether the UTC minute containing `date` is a scheduled minute (seconds are ignored).
    public func matches(_ date: Date) -> Bool {
        let time = CivilTime(date)
        return minute.contains(time.minute) && hour.contains(time.hour) && month.contains(time.month)
            && dayMatches(time)
    }

    /// The first scheduled minute strictly after `date` (UTC), or `nil` when the expression can never match
    /// (like `0 0 30 2 *`).
    public func next(after date: Date) -> Date? {
        var time = CivilTime(date)
        advanceMinute(&time)
        // Every Gregorian calendar pattern repeats within 400 years.
        let lastYear = time.year + 400
        while time.year <= lastYear {
            if !month.contains(time.month) {
                advanceMonth(&time)
            } else if !dayMatches(time) {
                advanceDay(&time)
            } else if !hour.contains(time.hour) {
                if let next = hour.first(atOrAfter: time.hour + 1) {
                    (time.hour, time.minute) = (next, 0)
                } else {
                    advanceDay(&time)
                }
            } else if !minute.contains(time.minute) {
                if let next = minute.first(atOrAfter: time.minute + 1) {
                    time.minute = next
                } else {
                    advanceHour(&time)
                }
            } else {
                return time.date
            }
        }
        return nil
    }

    /// Day-of-month and day-of-week together: both must match when either is written with `*`, otherwise either
    /// may.
    private func dayMatches(_ time: CivilTime) -> Bool {
        let weekday = time.weekday
        let days = time.daysInMonth
        let domMatches = dayOfMonth.matchesDayOfMonth(time.day, weekday: weekday, daysInMonth: days)
        let dowMatches = dayOfWeek.matchesDayOfWeek(weekday, day: time.day, daysInMonth: days)
        if dayOfMonth.isStar || dayOfWeek.isStar {
            return domMatches && dowMatches
        }
        return domMatches || dowMatches
    }

    private func advanceMinute(_ time: inout CivilTime) {
        if time.minute < 59 { time.minute += 1 } else { advanceHour(&time) }
    }

    private func advanceHour(_ time: inout CivilTime) {
        if time.hour < 23 {
            (time.hour, time.minute) = (time.hour + 1, 0)
        } else {
            advanceDay(&time)
        }
    }

    private func advanceDay(_ time: inout CivilTime) {
        if time.day < time.daysInMonth {
            (time.day, time.hour, time.minute) = (time.day + 1, 0, 0)
        } else {
            advanceMonth(&time)
        }
    }

    private func advanceMonth(_ time: inout CivilTime) {
        if time.month < 12 {
            time = CivilTime(year: time.year, month: time.month + 1, day: 1)
        } else {
            time = CivilTime(year: time.year + 1, month: 1, day: 1)
        }
    }
}
