"""scripts/wrangler-kv-export.py: the parts that handle wrangler's --remote output.

The script's run against real commands (the bearer-token binary's wrangler-compatible `kv key list`,
`kv bulk get` and `kv key get`, in --local mode) is Tests/ExamplesTests/KVBulkExportScriptTests. Cloudflare's
remote output cannot be reached from a test, so here the join is fed what `wrangler kv bulk get --remote` prints
(`{"KEY": "VALUE" or null}`, after wrangler's banner lines), in the API's chunks of at most 100 keys.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "wrangler-kv-export.py"
spec = importlib.util.spec_from_file_location("wrangler_kv_export", SCRIPT)
export_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_script)


def test_bulk_get_values_in_the_remote_and_the_local_shape():
    assert export_script.value_from_bulk_get("text") == "text"
    assert export_script.value_from_bulk_get(None) is None
    assert export_script.value_from_bulk_get({"value": "text"}) == "text"
    assert export_script.value_from_bulk_get({"value": None}) is None


def test_json_is_found_after_wrangler_banner_lines():
    output = "\n ⛅️ wrangler 4.40.0\n───────────────────\n[{\"name\": \"a\"}]\n"
    assert export_script.parse_json_output(output, "[") == [{"name": "a"}]


class RemoteWrangler:
    """What `wrangler kv key list --remote` and `wrangler kv bulk get --remote` print for 250 keys."""

    def __init__(self, now):
        self.listed = [{"name": "grant:%03d" % index} for index in range(248)]
        self.listed[7]["expiration"] = now + 3600
        self.listed[7]["metadata"] = {"label": "x"}
        self.listed.append({"name": "code:soon", "expiration": now + 30})
        self.listed.append({"name": "gone"})
        self.calls = []

    def list_keys(self, prefix):
        return self.listed

    def bulk_get(self, names):
        self.calls.append(len(names))
        output = "\n".join(["", " ⛅️ wrangler 4.40.0", json.dumps({name: None if name == "gone" else "v-" + name for name in names})])
        values = export_script.parse_json_output(output, "{")
        return {name: export_script.value_from_bulk_get(values.get(name)) for name in names}


def test_the_join_keeps_expiration_and_metadata_in_chunks_of_100():
    now = 1_800_000_000
    wrangler = RemoteWrangler(now)
    output = io.StringIO()
    lines = []
    written = export_script.export(wrangler, None, False, 120, now, output, lines.append)
    records = json.loads(output.getvalue())
    assert written == len(records) == 248
    assert wrangler.calls == [100, 100, 49]
    assert records[7] == {"key": "grant:007", "value": "v-grant:007", "expiration": now + 3600, "metadata": {"label": "x"}}
    assert records[0] == {"key": "grant:000", "value": "v-grant:000"}
    assert "code:soon" not in {record["key"] for record in records}
    assert lines[-1] == "248 records written; 1 skipped (expiring within 120 s); 1 gone since the list"


def test_binary_values_become_base64():
    assert export_script.record("b", b"\x00\xff", {}) == {"key": "b", "value": "AP8=", "base64": True}
    assert export_script.record("t", "é".encode(), {"expiration": 5}) == {"key": "t", "value": "é", "expiration": 5}


class FailingBulkGet(RemoteWrangler):
    """The API refuses a bulk read that meets a binary value: the chunk is read key by key."""

    def bulk_get(self, names):
        self.calls.append(len(names))
        return None

    def key_get(self, name):
        return None if name == "gone" else b"\xff" + name.encode()


def test_a_failed_bulk_get_is_redone_key_by_key():
    now = 1_800_000_000
    wrangler = FailingBulkGet(now)
    output = io.StringIO()
    lines = []
    assert export_script.export(wrangler, None, False, 120, now, output, lines.append) == 248
    records = json.loads(output.getvalue())
    assert records[0] == {"key": "grant:000", "value": "/2dyYW50OjAwMA==", "base64": True}
    assert lines[0] == "kv bulk get failed for keys 0 to 99: reading them one by one"
