import WorkersRuntime

/// A plain-text table for a terminal: a header row, then one row per item, columns padded to their widest cell.
///
/// Cells are shown with control characters escaped (``Swift/String/escapedForLog``): a client name registered by
/// anyone must not be able to move the cursor or rewrite what an operator's terminal shows.
struct TextTable: Sendable, Equatable {
    let headers: [String]
    private(set) var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    mutating func append(_ cells: [String]) {
        var row = cells.prefix(headers.count).map(\.escapedForLog)
        row += Array(repeating: "", count: headers.count - row.count)
        rows.append(row)
    }

    /// The table as lines, two spaces between columns and no trailing spaces.
    var rendered: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cell.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
