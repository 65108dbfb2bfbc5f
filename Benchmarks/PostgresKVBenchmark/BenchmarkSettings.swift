/// What to run; parsed from the command line.
struct BenchmarkSettings: Sendable {
    var url: String
    var seconds = 2.0
    var rounds = 3
    var keys = 1000

    static let usage = "usage: postgres-kv-benchmark URL [--seconds S] [--rounds R] [--keys N]"

    /// Parses the arguments; `nil` when one is unknown or malformed.
    init?(arguments: [String]) {
        var arguments = arguments.makeIterator()
        guard let url = arguments.next(), url.hasPrefix("postgres") else { return nil }
        self.url = url
        while let argument = arguments.next() {
            guard let value = arguments.next() else { return nil }
            switch argument {
            case "--seconds":
                guard let parsed = Double(value), parsed > 0 else { return nil }
                seconds = parsed
            case "--rounds":
                guard let parsed = Int(value), parsed > 0 else { return nil }
                rounds = parsed
            case "--keys":
                guard let parsed = Int(value), parsed > 0 else { return nil }
                keys = parsed
            default:
                return nil
            }
        }
    }
}
