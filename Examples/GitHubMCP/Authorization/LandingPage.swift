import WorkersRuntime

/// The page at `/`: what this server is, where MCP clients connect, and a link to the connected-apps page.
struct LandingPage {
    var origin: String
    var development: Bool

    var response: Response {
        let note = development
            ? "<p><strong>Development identity:</strong> no GitHub credentials are configured, so sign-in uses the built-in GitHub stand-in. See docs/github-mcp.md to use the real GitHub.</p>"
            : ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>github-mcp</title>
            <style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; }</style></head>
            <body><h1>github-mcp</h1>
            <p>A Model Context Protocol server with GitHub sign-in. Connect an MCP client to
            <code>\(HTML.escape(origin))/mcp</code>.</p>
            <p><a href="/apps">Connected apps</a>: see the MCP clients that can act as you here, and revoke them.</p>\(note)</body></html>
            """
        return Response.html(html, headers: ConsentPage.securityHeaders)
    }
}
