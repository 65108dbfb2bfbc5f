import Foundation

/// A UTC calendar time at minute resolution, computed arithmetically (proleptic Gregorian calendar).
///
/// Cron matching needs only year, month, day, hour, minute and weekday in UTC; doing the arithmetic directly keeps it
/// exact and independent of `Calendar`/time-zone settings.
struct CivilTime: Equatable {
    var year: Int
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int
    /// 0...23
    var hour: Int
    /// 0...59
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The UTC time of `date`, truncated to the minute.
    init(_ date: Date) {
        let minutes = Int((date.timeIntervalSince1970 / 60).rounded(.down))
        let days = minutes.floorDivided(by: 1440)
        let minuteOfDay = minutes - days * 1440
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// This time as a `Date`.
    var date: Date {
        let days = Self.days(fromCivil: year, month, day)
        return Date(timeIntervalSince1970: TimeInterval((days * 1440 + hour * 60 + minute) * 60))
    }

    /// Day of the week, 0 = Sunday ... 6 = Saturday.
    var weekday: Int { Self.weekday(year: year, month: month, day: day) }

    /// Number of days in this time's month.
    var daysInMonth: Int { Self.daysIn(month: month, year: year) }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func weekday(year: Int, month: Int, day: Int) -> Int {
        // 1970-01-01 was a Thursday (4).
        (days(fromCivil: year, month, day) + 4).floorModulo(7)
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a count of days since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
