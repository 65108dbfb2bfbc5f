#!/usr/bin/env python3
"""Export a Workers KV namespace with wrangler, as a bulk file for `kv bulk put`.

wrangler has no single export command, so this runs the ones it has:

  1. `wrangler kv key list --binding B --remote` for every key with its expiration and metadata;
  2. `wrangler kv bulk get FILE --binding B --remote` for the values, 100 keys a call (the API's limit; a call
     that fails, as the API does for values it cannot return as text, is redone key by key), or with --per-key,
     `wrangler kv key get KEY --binding B --remote` per key (slow, but exact for binary values);

and writes one JSON array of {key, value, expiration?, metadata?, base64?} (the format `wrangler kv bulk put`
reads), values as UTF-8 text, or base64 with "base64": true when they are not valid UTF-8.

Keys that expire within --skip-expiring-within seconds (default 120) are left out and counted: Workers KV (and
`kv bulk put`) refuses an expiration less than 60 seconds ahead.

Usage:
  python3 scripts/wrangler-kv-export.py --binding OAUTH_KV --output oauth-kv.json [-- --env production]
  python3 scripts/wrangler-kv-export.py --namespace-id 0f2ac74b... --output oauth-kv.json

Arguments after `--` are passed to every wrangler command (--env, --config, --preview ...).
Only the standard library is used.
"""

import argparse
import base64
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

BULK_GET_MAX = 100


def parse_json_output(text, opening):
    """The first JSON value starting with `opening` in a command's output (wrangler may print lines before it)."""
    decoder = json.JSONDecoder()
    start = text.find(opening)
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
            return value
        except json.JSONDecodeError:
            start = text.find(opening, start + 1)
    raise ValueError("no JSON %s in the output:\n%s" % ("array" if opening == "[" else "object", text[:2000]))


def value_from_bulk_get(entry):
    """A value as `wrangler kv bulk get` prints it: a string or null (--remote), or {"value": ...} (--local)."""
    if isinstance(entry, dict):
        entry = entry.get("value")
    if entry is None or isinstance(entry, str):
        return entry
    # The API returns JSON values parsed when asked for type json; wrangler asks for text, but be safe.
    return json.dumps(entry, separators=(",", ":"), ensure_ascii=False)


def record(name, value_bytes, listed):
    """One bulk-put record: text when valid UTF-8, else base64; expiration and metadata from the key list."""
    out = {"key": name}
    try:
        out["value"] = value_bytes.decode("utf-8")
    except UnicodeDecodeError:
        out["value"] = base64.b64encode(value_bytes).decode("ascii")
        out["base64"] = True
    if listed.get("expiration") is not None:
        out["expiration"] = int(listed["expiration"])
    if listed.get("metadata") is not None:
        out["metadata"] = listed["metadata"]
    return out


class Wrangler:
    def __init__(self, command, namespace, location, extra):
        self.command = shlex.split(command)
        self.namespace = namespace
        self.location = location
        self.extra = extra

    def run(self, *arguments, check=True):
        argv = self.command + ["kv", *arguments, *self.namespace, self.location, *self.extra]
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check and result.returncode != 0:
            sys.stderr.write(result.stderr.decode("utf-8", "replace"))
            raise SystemExit("wrangler failed (exit %d): %s" % (result.returncode, " ".join(map(shlex.quote, argv))))
        return result

    def list_keys(self, prefix):
        arguments = ["key", "list"] + (["--prefix", prefix] if prefix else [])
        return parse_json_output(self.run(*arguments).stdout.decode("utf-8"), "[")

    def bulk_get(self, names):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as keys_file:
            json.dump(names, keys_file)
        try:
            result = self.run("bulk", "get", keys_file.name, check=False)
        finally:
            os.unlink(keys_file.name)
        if result.returncode != 0:
            # The API refuses a bulk read that meets a value it cannot return as text.
            return None
        values = parse_json_output(result.stdout.decode("utf-8"), "{")
        return {name: value_from_bulk_get(values.get(name)) for name in names}

    def key_get(self, name):
        result = self.run("key", "get", name, check=False)
        # wrangler prints "Value not found" (and exits 0) for a key deleted since the list; others exit 1.
        if result.returncode != 0 or result.stdout == b"Value not found\n":
            return None
        return result.stdout


def export(wrangler, prefix, per_key, skip_within, now, output, log):
    listed = wrangler.list_keys(prefix)
    written = expiring = vanished = replaced = 0
    output.write("[")

    def emit(entry, value_bytes):
        nonlocal written
        output.write("\n" if written == 0 else ",\n")
        output.write(json.dumps(record(entry["name"], value_bytes, entry), ensure_ascii=False, separators=(",", ":")))
        written += 1

    keep = []
    for entry in listed:
        expiration = entry.get("expiration")
        if expiration is not None and expiration < now + skip_within:
            expiring += 1
        else:
            keep.append(entry)
    if per_key:
        for entry in keep:
            value = wrangler.key_get(entry["name"])
            if value is None:
                vanished += 1
            else:
                emit(entry, value)
    else:
        for start in range(0, len(keep), BULK_GET_MAX):
            chunk = keep[start:start + BULK_GET_MAX]
            values = wrangler.bulk_get([entry["name"] for entry in chunk])
            if values is None:
                log("kv bulk get failed for keys %d to %d: reading them one by one" % (start, start + len(chunk) - 1))
            for entry in chunk:
                if values is None:
                    value_bytes = wrangler.key_get(entry["name"])
                else:
                    value = values.get(entry["name"])
                    if value is not None and "\ufffd" in value:
                        replaced += 1
                    value_bytes = None if value is None else value.encode("utf-8")
                if value_bytes is None:
                    vanished += 1
                    continue
                emit(entry, value_bytes)
            log("exported %d of %d keys" % (min(start + BULK_GET_MAX, len(keep)), len(keep)))
    output.write("]\n" if written == 0 else "\n]\n")
    log("%d records written; %d skipped (expiring within %d s); %d gone since the list"
        % (written, expiring, skip_within, vanished))
    if replaced:
        log("warning: %d values hold U+FFFD: they may be binary values that `kv bulk get` returned as text; "
            "export again with --per-key to keep them exactly" % replaced)
    return written


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description="Export a Workers KV namespace with wrangler as a bulk-put file.")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--binding", help="the KV binding in wrangler.toml")
    which.add_argument("--namespace-id", help="the namespace's id (wrangler kv namespace list), without a wrangler.toml")
    parser.add_argument("--output", "-o", help="the file to write (default: standard output); created 0600")
    parser.add_argument("--prefix", help="only keys starting with this prefix")
    parser.add_argument("--per-key", action="store_true", help="one `kv key get` per key: slow, exact for binary values")
    parser.add_argument("--wrangler", default="npx wrangler", help='how to run wrangler (default: "npx wrangler")')
    parser.add_argument("--local", action="store_true", help="read wrangler's local storage instead of --remote")
    parser.add_argument("--skip-expiring-within", type=int, default=120, metavar="SECONDS",
                        help="leave out keys expiring this soon (default 120)")
    args = parser.parse_args(argv)

    namespace = ["--binding", args.binding] if args.binding else ["--namespace-id", args.namespace_id]
    wrangler = Wrangler(args.wrangler, namespace, "--local" if args.local else "--remote", extra)

    def log(line):
        sys.stderr.write(line + "\n")

    if args.output:
        partial = args.output + ".partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as output:
            export(wrangler, args.prefix, args.per_key, args.skip_expiring_within, int(time.time()), output, log)
        os.replace(partial, args.output)
    else:
        export(wrangler, args.prefix, args.per_key, args.skip_expiring_within, int(time.time()), sys.stdout, log)


if __name__ == "__main__":
    main()
