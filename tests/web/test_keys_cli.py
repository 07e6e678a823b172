"""Key management: `chengguo keys create|list|revoke`, hashing, validation, the demo key."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge.config import Settings
from tests.web.conftest import make_keys
from web.cli import DEMO_TENANT, demo_origins, ensure_demo_key, keys_app
from web.db import web_db_path
from web.keys import KeyConfigError, normalise_origin, parse_rate

runner = CliRunner()


def test_create_list_revoke(fresh_data_dir: Path) -> None:
    r = runner.invoke(
        keys_app,
        [
            "create",
            "--tenant",
            "acme",
            "--origin",
            "https://portal.example",
            "--origin",
            "https://b.example:8443/",
            "--rate",
            "30/min",
        ],
    )
    assert r.exit_code == 0, r.output
    out = r.stdout
    pk = next(line.split()[-1] for line in out.splitlines() if line.startswith("publishable key:"))
    sk = next(line.split()[-1] for line in out.splitlines() if line.startswith("secret key:"))
    key_id = next(line.split()[-1] for line in out.splitlines() if line.startswith("key id:"))
    assert pk.startswith("pk_") and sk.startswith("sk_") and len(sk) > 40
    assert "https://b.example:8443" in out

    # stored hashed: neither token appears in the database file
    db = web_db_path(Settings(data_dir=fresh_data_dir))
    raw = db.read_bytes() + (
        db.with_name(db.name + "-wal").read_bytes() if db.with_name(db.name + "-wal").exists() else b""
    )
    assert pk.encode() not in raw and sk.encode() not in raw
    with sqlite3.connect(db) as conn:
        hashes = {h for (h,) in conn.execute("SELECT token_hash FROM web_keys")}
    import hashlib

    assert hashlib.sha256(pk.encode()).hexdigest() in hashes

    listed = runner.invoke(keys_app, ["list", "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert listed.exit_code == 0
    assert sorted((r["key_id"], r["kind"], r["tenant"]) for r in rows) == [
        (key_id, "pk", "acme"),
        (key_id, "sk", "acme"),
    ]
    assert rows[0]["origins"] == ["https://b.example:8443", "https://portal.example"]
    assert pk not in listed.stdout and sk not in listed.stdout
    table = runner.invoke(keys_app, ["list"], terminal_width=200)
    assert "acme" in table.stdout and pk not in table.stdout

    store = make_keys(Settings(data_dir=fresh_data_dir))
    assert store.lookup(pk) is not None and store.lookup(sk) is not None
    rv = runner.invoke(keys_app, ["revoke", key_id])
    assert rv.exit_code == 0 and "revoked 2" in rv.stdout
    assert store.lookup(pk) is None and store.lookup(sk) is None
    assert runner.invoke(keys_app, ["revoke", key_id]).exit_code == 1
    assert key_id not in runner.invoke(keys_app, ["list", "--json"]).stdout
    assert key_id in runner.invoke(keys_app, ["list", "--all", "--json"]).stdout


def test_create_json(fresh_data_dir: Path) -> None:
    r = runner.invoke(keys_app, ["create", "--tenant", "t1", "--origin", "http://localhost:3000", "--json"])
    data = json.loads(r.stdout)
    assert (
        data["tenant"] == "t1" and data["origins"] == ["http://localhost:3000"] and data["rate"] == "60/min"
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--tenant", "Bad Name", "--origin", "https://a.example"], "--tenant"),
        (["--tenant", "ok", "--origin", "*"], "--origin"),
        (["--tenant", "ok", "--origin", "ftp://a.example"], "--origin"),
        (["--tenant", "ok", "--origin", "https://a.example/path"], "--origin"),
        (["--tenant", "ok", "--origin", "https://a.example", "--rate", "fast"], "--rate"),
        (["--tenant", "ok", "--origin", "https://a.example", "--rate", "0/min"], "--rate"),
    ],
)
def test_create_rejects_bad_arguments(fresh_data_dir: Path, args: list[str], needle: str) -> None:
    r = runner.invoke(keys_app, ["create", *args])
    assert r.exit_code == 2
    assert needle in r.stderr
    assert make_keys(Settings(data_dir=fresh_data_dir)).list() == []


def test_origin_and_rate_parsing() -> None:
    assert normalise_origin("HTTPS://Portal.Example:443/") == "https://portal.example"
    assert normalise_origin("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert normalise_origin("http://a.example:80") == "http://a.example"
    with pytest.raises(KeyConfigError):
        normalise_origin("https://a.example?x=1")
    r = parse_rate("5/s")
    assert (r.count, r.period) == (5, 1)
    assert parse_rate("1000/hour").per_second == pytest.approx(1000 / 3600)


def test_demo_key_is_fresh_and_replaces_the_previous_one(fresh_data_dir: Path) -> None:
    store = make_keys(Settings(data_dir=fresh_data_dir))
    origins = demo_origins("127.0.0.1", 8123)
    assert origins == ["http://127.0.0.1:8123", "http://localhost:8123"]
    first = ensure_demo_key(store, origins)
    second = ensure_demo_key(store, origins)
    assert first.secret_key is None and second.secret_key is None
    assert store.lookup(first.publishable_key) is None
    k = store.lookup(second.publishable_key)
    assert k is not None and k.tenant == DEMO_TENANT and k.origins == sorted(origins)
    # a demo key for another port is left alone
    other = ensure_demo_key(store, demo_origins("localhost", 9000))
    ensure_demo_key(store, origins)
    assert store.lookup(other.publishable_key) is not None
