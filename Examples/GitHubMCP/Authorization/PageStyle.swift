/// The look of the pages this example renders itself (consent, connected apps): a white card on a light grey page,
/// GitHub-like colours. Inline in each page, which the pages' `Content-Security-Policy` allows (`style-src
/// 'unsafe-inline'`) while it loads nothing from elsewhere.
enum PageStyle {
    static let css = """
        body { font: 16px/1.5 system-ui, sans-serif; background: #f6f8fa; color: #1f2328; margin: 0; }
        main { max-width: 30rem; margin: 4rem auto; background: #fff; border: 1px solid #d0d7de;
               border-radius: 12px; padding: 2rem; }
        h1 { font-size: 1.35rem; margin-top: 0; }
        .muted { color: #59636e; font-size: .9rem; }
        .target { background: #f6f8fa; border-radius: 6px; padding: .5rem .75rem; word-break: break-all; }
        .warning { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .5rem .75rem; }
        .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
        button { flex: 1; font-size: 1rem; padding: .6rem; border-radius: 6px; border: 1px solid #d0d7de;
                 background: #f6f8fa; cursor: pointer; }
        button.approve { background: #1f883d; border-color: #1a7f37; color: #fff; font-weight: 600; }
        """
}
