import Testing
import WorkersRuntime

@Suite("Log escaping (CWE-117)")
struct LogEscapingTests {
    @Test("a forged line break, carriage return, escape sequence or separator never reaches a log raw")
    func controlCharactersAreEscaped() {
        let forged = "rsa-1\n2026-12-01T00:00:00+0000 critical workers: forged"
        #expect(forged.escapedForLog == #"rsa-1\n2026-12-01T00:00:00+0000 critical workers: forged"#)
        #expect("a\rb\tc".escapedForLog == #"a\rb\tc"#)
        #expect("\u{1B}[2J\u{0}".escapedForLog == #"\u{1B}[2J\u{0}"#)
        #expect("x\u{7F}\u{85}\u{2028}\u{2029}".escapedForLog == #"x\u{7F}\u{85}\u{2028}\u{2029}"#)
        for escaped in [forged, "\u{1B}[2J", "\u{2028}"].map(\.escapedForLog) {
            #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" })
        }
    }

    @Test("ordinary text, unicode and backslashes pass unchanged, and escaping twice changes nothing more")
    func plainTextIsUnchanged() {
        for text in ["https://app.example.com/cb?x=1", "Zoë 🚀", #"C:\path\n"#, ""] {
            #expect(text.escapedForLog == text)
        }
        let once = "a\nb".escapedForLog
        #expect(once.escapedForLog == once)
    }
}
