import Testing

@testable import WorkersServer

@Suite("TextTable")
struct TextTableTests {
    @Test("columns are padded to their widest cell, with no trailing spaces")
    func layout() {
        var table = TextTable(["ID", "NAME", "TYPE"])
        table.append(["a1", "Long client name", "public"])
        table.append(["b", "", "confidential"])
        #expect(table.rendered == """
            ID  NAME              TYPE
            a1  Long client name  public
            b                     confidential
            """)
    }

    @Test("control characters in a cell are escaped, and rows are fitted to the header")
    func escaping() {
        var table = TextTable(["A", "B"])
        table.append(["x\u{1b}[2Jy\nz", "1", "dropped"])
        table.append(["short"])
        #expect(!table.rendered.contains("\u{1b}") && !table.rendered.contains("\n" + "z"))
        #expect(table.rendered.split(separator: "\n").count == 3)
        #expect(!table.rendered.contains("dropped"))
    }
}
