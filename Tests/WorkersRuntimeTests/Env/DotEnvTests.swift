import Foundation
import Testing
import WorkersRuntime

@Suite("DotEnv")
struct DotEnvTests {
    @Test func bareValuesAreTrimmedAndStopAtComments() throws {
        let vars = try DotEnv.parse("""
            # a comment line
            A=plain
            B =  spaced value  \t
              C=value # trailing comment
            D=
            E=a=b=c
            """)
        #expect(vars == ["A": "plain", "B": "spaced value", "C": "value", "D": "", "E": "a=b=c"])
    }

    @Test func quotedValues() throws {
        let vars = try DotEnv.parse("""
            SINGLE='it has # and "quotes" and \\n kept'
            DOUBLE="line1\\nline2\\ttab \\"q\\" back\\\\slash \\d"
            BACKTICK=`it's "literal"`
            EMPTY=""
            COMMENTED="value" # comment
            """)
        #expect(vars["SINGLE"] == #"it has # and "quotes" and \n kept"#)
        #expect(vars["DOUBLE"] == "line1\nline2\ttab \"q\" back\\slash \\d")
        #expect(vars["BACKTICK"] == #"it's "literal""#)
        #expect(vars["EMPTY"] == "")
        #expect(vars["COMMENTED"] == "value")
    }

    @Test func quotedValuesMaySpanLines() throws {
        let vars = try DotEnv.parse("KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1\n")
        #expect(vars == ["KEY": "-----BEGIN-----\nabc\n-----END-----", "NEXT": "1"])
    }

    @Test func exportPrefixAndCRLFLineEnds() throws {
        let vars = try DotEnv.parse("export TOKEN=abc\r\nexport\tOTHER='x'\r\n\r\nexported=1\r\n")
        #expect(vars == ["TOKEN": "abc", "OTHER": "x", "exported": "1"])
    }

    @Test func repeatedNameKeepsTheLastValueInTheFirstPlace() throws {
        let pairs = try DotEnv.parseOrdered("A=1\nB=2\nA=3\n")
        #expect(pairs.map(\.0) == ["A", "B"])
        #expect(pairs.map(\.1) == ["3", "2"])
        #expect(try DotEnv.parse("A=1\nA=3") == ["A": "3"])
    }

    @Test(arguments: [
        ("A=1\nnot a line\n", 2, "expected \"=\""),
        ("A=1\n=value\n", 2, "expected NAME=value"),
        ("A=1\nB=\"open\nstill open\n", 2, "unterminated quoted value for B"),
        ("A='x' junk\n", 1, "unexpected text after the closing quote of A"),
    ])
    func malformedLinesAreReportedWithTheirLine(text: String, line: Int, fragment: String) {
        #expect {
            try DotEnv.parse(text, file: ".dev.vars")
        } throws: { error in
            guard let error = error as? DotEnvError else { return false }
            return error.line == line && error.message.contains(fragment)
                && error.description.hasPrefix(".dev.vars:\(line): ")
        }
    }

    @Test func errorsNeverEchoValues() {
        #expect {
            try DotEnv.parse("SECRET=\"hunter2")
        } throws: { error in
            !"\(error)".contains("hunter2")
        }
    }

    @Test func serializeRoundTripsAnyValue() throws {
        let entries: [(String, String)] = [
            ("PLAIN", "abc-123_./:+=@%~"),
            ("EMPTY", ""),
            ("SPACES", "  padded  "),
            ("HASH", "a#b"),
            ("QUOTES", #"it's "quoted""#),
            ("NEWLINES", "line1\nline2\r\n"),
            ("BACKSLASHES", #"C:\path\n and \\ "x""#),
            ("TAB", "a\tb"),
            ("UNICODE", "héllo ✓"),
            ("DOLLAR", "$HOME ${X}"),
        ]
        let text = DotEnv.serialize(entries)
        let parsed = try DotEnv.parseOrdered(text)
        #expect(parsed.map(\.0) == entries.map(\.0))
        #expect(parsed.map(\.1) == entries.map(\.1))
        #expect(text.hasPrefix("PLAIN=abc-123_./:+=@%~\nEMPTY=''\nSPACES='  padded  '\n"))
    }

    @Test func loadOfAMissingFileIsEmpty() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)")
        #expect(try DotEnv.load(from: missing).isEmpty)
    }

    @Test func secretsFileIsPerEnvironment() {
        let config = WorkerConfig(directory: URL(fileURLWithPath: "/srv/w", isDirectory: true))
        #expect(DotEnv.secretsFile(for: config, environment: nil).path == "/srv/w/.dev.vars")
        #expect(DotEnv.secretsFile(for: config, environment: "staging").path == "/srv/w/.dev.vars.staging")
        var staging = config
        staging.environment = "staging"
        #expect(DotEnv.secretsFile(for: staging).path == "/srv/w/.dev.vars.staging")
    }
}
