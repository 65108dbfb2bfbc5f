import Testing
import WorkersRuntime

@Suite("HTML")
struct HTMLTests {
    @Test("escapes markup and both quote kinds, leaving other text alone")
    func escape() {
        #expect(HTML.escape(#"<script>alert("x" & 'y')</script>"#) == "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        #expect(HTML.escape("Ünïcode ✓ plain") == "Ünïcode ✓ plain")
    }
}
