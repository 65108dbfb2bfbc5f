// The entry point arrives with the OAuth provider (phase 2 of issue #5): `WorkerCommand.main { env in ... }`.
print("github-mcp: the OAuth provider is not merged yet; see docs/github-mcp.md")
