import Foundation

/// Reports the progress of a bulk command on standard error: a bar redrawn in place when standard error is a
/// terminal, else a plain line at every tenth of the input (or every `lineEvery` records when the size is unknown).
final class KVBulkProgress {
    /// What the bar is measured in.
    let totalBytes: Int?
    let verb: String
    private let isTerminal: Bool
    private let lineEvery: Int
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var lastTenth = 0
    private var lastLineRecords = 0
    private var drewBar = false

    /// - Parameters:
    ///   - verb: What is being done (`Imported`, `Exported`).
    ///   - totalBytes: The input's size, when known.
    ///   - isTerminal: Whether to draw a bar (by default: whether standard error is a terminal).
    init(verb: String, totalBytes: Int?, isTerminal: Bool = isatty(STDERR_FILENO) == 1, lineEvery: Int = 100_000) {
        self.verb = verb
        self.totalBytes = totalBytes.flatMap { $0 > 0 ? $0 : nil }
        self.isTerminal = isTerminal
        self.lineEvery = lineEvery
    }

    /// Seconds since the command started.
    var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Reports that `bytes` of the input were read and `records` handled.
    func update(bytes: Int, records: Int) {
        if isTerminal {
            let now = ContinuousClock.now
            guard now - lastDraw >= .milliseconds(100) else { return }
            lastDraw = now
            drewBar = true
            write("\r\u{1B}[2K" + bar(bytes: bytes, records: records))
        } else if let totalBytes {
            let tenth = min(10, bytes * 10 / totalBytes)
            guard tenth > lastTenth, tenth < 10 else { return }
            lastTenth = tenth
            write("\(verb) \(tenth * 10)% (\(Self.size(bytes)) of \(Self.size(totalBytes)), \(records) records)\n")
        } else if records - lastLineRecords >= lineEvery {
            lastLineRecords = records
            write("\(verb) \(records) records (\(Self.size(bytes)))\n")
        }
    }

    /// Ends the bar (if one was drawn) and prints `summary` on its own line.
    func finish(_ summary: String) {
        if drewBar { write("\r\u{1B}[2K") }
        write(summary + "\n")
    }

    /// The bar: `[#######.............]  35%  350.0 MB / 1.0 GB  123456 records`.
    func bar(bytes: Int, records: Int) -> String {
        guard let totalBytes else { return "\(verb) \(records) records (\(Self.size(bytes)))" }
        let width = 30
        let filled = min(width, bytes * width / totalBytes)
        let percent = min(100, bytes * 100 / totalBytes)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] \(percent)%  \(Self.size(bytes)) / \(Self.size(totalBytes))  \(records) records"
    }

    /// `1.5 MB`: decimal units, one decimal.
    static func size(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
