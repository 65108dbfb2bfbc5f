import Foundation
import Testing
import WorkersRuntime

@Suite("CronExpression")
struct CronExpressionTests {
    /// A UTC date from components.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0)
        -> Date
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components)!
    }

    /// The next `count` scheduled times after `start`.
    static func schedule(_ expression: String, after start: Date, count: Int) throws -> [Date] {
        let cron = try CronExpression(expression)
        var result: [Date] = []
        var cursor = start
        for _ in 0..<count {
            let next = try #require(cron.next(after: cursor))
            result.append(next)
            cursor = next
        }
        return result
    }

    @Test func everyMinuteMatchesAnyTimeAndIgnoresSeconds() throws {
        let cron = try CronExpression("* * * * *")
        #expect(cron.matches(Self.utc(2024, 3, 5, 13, 37, 59)))
        #expect(cron.next(after: Self.utc(2024, 3, 5, 13, 37, 59)) == Self.utc(2024, 3, 5, 13, 38))
        #expect(cron.next(after: Self.utc(2024, 3, 5, 13, 37)) == Self.utc(2024, 3, 5, 13, 38))
    }

    @Test func keepsTheSourceTextExactly() throws {
        let cron = try CronExpression("*/3  * * * *")
        #expect(cron.source == "*/3  * * * *")
        #expect(cron.description == "*/3  * * * *")
    }

    @Test func stepsOnWildcardAndOnRanges() throws {
        let start = Self.utc(2024, 1, 1, 10, 0)
        let every15 = try Self.schedule("*/15 * * * *", after: start, count: 4)
        #expect(every15 == [Self.utc(2024, 1, 1, 10, 15), Self.utc(2024, 1, 1, 10, 30), Self.utc(2024, 1, 1, 10, 45),
            Self.utc(2024, 1, 1, 11, 0)])
        let oddMinutes = try Self.schedule("1-10/4 * * * *", after: start, count: 4)
        #expect(oddMinutes == [Self.utc(2024, 1, 1, 10, 1), Self.utc(2024, 1, 1, 10, 5), Self.utc(2024, 1, 1, 10, 9),
            Self.utc(2024, 1, 1, 11, 1)])
        let fromFifty = try Self.schedule("50/5 * * * *", after: start, count: 3)
        #expect(fromFifty == [Self.utc(2024, 1, 1, 10, 50), Self.utc(2024, 1, 1, 10, 55), Self.utc(2024, 1, 1, 11, 50)])
    }

    @Test func rangesAndListsCombine() throws {
        let cron = try CronExpression("0,30 9-11,15 * * *")
        #expect(cron.matches(Self.utc(2024, 6, 1, 9, 30)))
        #expect(cron.matches(Self.utc(2024, 6, 1, 15, 0)))
        #expect(!cron.matches(Self.utc(2024, 6, 1, 12, 0)))
        #expect(!cron.matches(Self.utc(2024, 6, 1, 10, 15)))
        #expect(cron.next(after: Self.utc(2024, 6, 1, 11, 30)) == Self.utc(2024, 6, 1, 15, 0))
        #expect(cron.next(after: Self.utc(2024, 6, 1, 15, 0)) == Self.utc(2024, 6, 1, 15, 30))
        #expect(cron.next(after: Self.utc(2024, 6, 1, 15, 30)) == Self.utc(2024, 6, 2, 9, 0))
    }

    @Test func monthAndDayNamesAreCaseInsensitive() throws {
        let cron = try CronExpression("0 12 * jan-Mar,DEC mon-fri")
        #expect(cron.matches(Self.utc(2024, 2, 5, 12, 0)))  // a Monday in February
        #expect(!cron.matches(Self.utc(2024, 2, 4, 12, 0)))  // Sunday
        #expect(!cron.matches(Self.utc(2024, 4, 1, 12, 0)))  // April
        #expect(cron.matches(Self.utc(2024, 12, 31, 12, 0)))  // Tuesday in December
        #expect(try CronExpression("0 0 * * SUN") == CronExpression("0 0 * * SUN"))
    }

    @Test func sundayIsBothZeroAndSeven() throws {
        let sunday = Self.utc(2024, 3, 3, 8, 0)
        #expect(try CronExpression("0 8 * * 0").matches(sunday))
        #expect(try CronExpression("0 8 * * 7").matches(sunday))
        #expect(try CronExpression("0 8 * * 5-7").matches(sunday))
        #expect(!(try CronExpression("0 8 * * 1-6").matches(sunday)))
        #expect(try CronExpression("0 8 * * 7").next(after: Self.utc(2024, 3, 4)) == Self.utc(2024, 3, 10, 8, 0))
    }

    @Test func dayOfMonthOrDayOfWeekWhenBothAreRestricted() throws {
        let cron = try CronExpression("0 0 13 * FRI")
        #expect(cron.matches(Self.utc(2024, 3, 13)))  // the 13th, a Wednesday
        #expect(cron.matches(Self.utc(2024, 3, 1)))  // a Friday, not the 13th
        #expect(!cron.matches(Self.utc(2024, 3, 2)))
        #expect(try Self.schedule("0 0 13 * FRI", after: Self.utc(2024, 3, 1), count: 3) == [
            Self.utc(2024, 3, 8), Self.utc(2024, 3, 13), Self.utc(2024, 3, 15),
        ])
    }

    @Test func wildcardDayFieldMeansTheOtherAlone() throws {
        let mondays = try CronExpression("0 0 * * MON")
        #expect(mondays.matches(Self.utc(2024, 3, 4)))
        #expect(!mondays.matches(Self.utc(2024, 3, 5)))
        let firsts = try CronExpression("0 0 1 * ?")
        #expect(firsts.matches(Self.utc(2024, 3, 1)))
        #expect(!firsts.matches(Self.utc(2024, 3, 4)))
    }

    @Test func nextCrossesMonthAndYearBoundaries() throws {
        #expect(try CronExpression("0 0 1 * *").next(after: Self.utc(2024, 1, 31, 23, 59)) == Self.utc(2024, 2, 1))
        #expect(try CronExpression("30 6 * * *").next(after: Self.utc(2023, 12, 31, 7, 0)) == Self.utc(2024, 1, 1, 6, 30))
        #expect(try CronExpression("0 0 31 * *").next(after: Self.utc(2024, 4, 1)) == Self.utc(2024, 5, 31))
        #expect(try CronExpression("15 10 1 JAN *").next(after: Self.utc(2024, 1, 1, 10, 15)) == Self.utc(2025, 1, 1, 10, 15))
    }

    @Test func leapDayRunsOnlyInLeapYears() throws {
        let runs = try Self.schedule("0 0 29 2 *", after: Self.utc(2023, 1, 1), count: 3)
        #expect(runs == [Self.utc(2024, 2, 29), Self.utc(2028, 2, 29), Self.utc(2032, 2, 29)])
        // 2100 is not a leap year: 2096 is followed by 2104.
        #expect(try CronExpression("0 0 29 2 *").next(after: Self.utc(2096, 3, 1)) == Self.utc(2104, 2, 29))
    }

    @Test func impossibleDateHasNoNextRun() throws {
        #expect(try CronExpression("0 0 30 2 *").next(after: Self.utc(2024, 1, 1)) == nil)
    }

    @Test func quartzDayRules() throws {
        // Last day of the month, and two days before it.
        #expect(try Self.schedule("0 0 L * *", after: Self.utc(2024, 1, 15), count: 2) == [
            Self.utc(2024, 1, 31), Self.utc(2024, 2, 29),
        ])
        #expect(try CronExpression("0 0 L-2 * *").next(after: Self.utc(2023, 2, 1)) == Self.utc(2023, 2, 26))
        // Last weekday: 2024-03-31 is a Sunday, so Friday the 29th.
        #expect(try CronExpression("0 0 LW * *").next(after: Self.utc(2024, 3, 1)) == Self.utc(2024, 3, 29))
        // Nearest weekday to the 1st: 2024-06-01 is a Saturday, so Monday the 3rd (never May 31st).
        #expect(try CronExpression("0 0 1W * *").next(after: Self.utc(2024, 5, 15)) == Self.utc(2024, 6, 3))
        // Nearest weekday to the 15th: 2024-09-15 is a Sunday, so Monday the 16th.
        #expect(try CronExpression("0 0 15W * *").next(after: Self.utc(2024, 9, 1)) == Self.utc(2024, 9, 16))
        // Last Friday of the month, and the second Monday.
        #expect(try CronExpression("0 0 * * 5L").next(after: Self.utc(2024, 3, 1)) == Self.utc(2024, 3, 29))
        #expect(try CronExpression("0 0 * * MON#2").next(after: Self.utc(2024, 3, 1)) == Self.utc(2024, 3, 11))
    }

    @Test(arguments: [
        ("* * * *", nil, "expected 5 fields"),
        ("* * * * * *", nil, "expected 5 fields"),
        ("60 * * * *", "minute", "60 is out of range 0-59"),
        ("* 24 * * *", "hour", "24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month", "0 is out of range 1-31"),
        ("* * 32 * *", "day-of-month", "32 is out of range 1-31"),
        ("* * * 13 *", "month", "13 is out of range 1-12"),
        ("* * * FOO *", "month", "not a number or a name"),
        ("* * * * 8", "day-of-week", "8 is out of range 0-7"),
        ("* * * * FUN", "day-of-week", "not a number or a name"),
        ("*/0 * * * *", "minute", "must be a positive integer"),
        ("5-1 * * * *", "minute", "runs backwards"),
        ("1,,2 * * * *", "minute", "empty item"),
        ("? * * * *", "minute", "only in day-of-month and day-of-week"),
        ("* * * * MON#6", "day-of-week", "1-5"),
        ("* * 40W * *", "day-of-month", "not a valid day-of-month rule"),
        ("a * * * *", "minute", "is not a number"),
    ] as [(String, String?, String)])
    func invalidExpressionsNameTheField(expression: String, field: String?, fragment: String) {
        do {
            _ = try CronExpression(expression)
            Issue.record("\"\(expression)\" was accepted")
        } catch let error as CronExpressionError {
            #expect(error.field == field)
            #expect(error.message.contains(fragment), "\(error)")
            #expect(error.description.hasPrefix("invalid cron expression \"\(expression)\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
