import HTTPTypes
import WorkersRuntime

/// A plain error page (escaped message, same security headers as the consent page).
enum ErrorPage {
    static func response(_ message: String, status: HTTPResponse.Status) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Authorization failed</title>
            <style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; }</style></head>
            <body><h1>Authorization failed</h1><p>\(HTML.escape(message))</p></body></html>
            """
        return Response.html(html, status: status, headers: ConsentPage.securityHeaders)
    }
}
