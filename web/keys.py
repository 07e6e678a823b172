"""Tenants and API keys.

A key pair belongs to one tenant: a publishable widget key `pk_…` (lives in portal HTML, only
accepted from the pair's allowed origins) and a secret server key `sk_…` (server-to-server only,
refused whenever a browser origin is present). Tokens carry 192 random bits, so storing their
sha256 is enough — a leaked database does not reveal usable keys, and the secret is shown once.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from web.db import WebDB

KeyKind = Literal["pk", "sk"]

_TENANT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*$", re.IGNORECASE)
_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class KeyConfigError(ValueError):
    """Bad input to key management; the message names the argument."""


class Rate(BaseModel):
    """A token-bucket rate: `count` requests per `period` seconds (burst up to `count`)."""

    count: int = Field(ge=1)
    period: float = Field(gt=0)

    @property
    def per_second(self) -> float:
        return self.count / self.period


def parse_rate(text: str) -> Rate:
    """Parse "60/min", "5/s", "1000/hour"."""
    m = _RATE_RE.match(text)
    if not m or int(m.group(1)) < 1:
        raise KeyConfigError(f"--rate {text!r}: expected COUNT/UNIT with UNIT s, min or hour, e.g. 60/min")
    return Rate(count=int(m.group(1)), period=_PERIODS[m.group(2).lower()])


def normalise_origin(text: str) -> str:
    """Canonical `scheme://host[:port]` as browsers send it in `Origin` (default ports dropped)."""
    raw = text.strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KeyConfigError(
            f"--origin {text!r}: expected http(s)://host[:port], e.g. https://portal.example"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise KeyConfigError(f"--origin {text!r}: an origin has no path, query, fragment or user info")
    if raw == "*" or "*" in raw:
        raise KeyConfigError(f"--origin {text!r}: wildcards are not allowed; list each origin")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError as exc:
        raise KeyConfigError(f"--origin {text!r}: bad port") from exc
    if port is not None and port != _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}:{port}"
    return f"{parts.scheme}://{host}"


def validate_tenant(tenant: str) -> str:
    if not _TENANT_RE.match(tenant):
        raise KeyConfigError(
            f"--tenant {tenant!r}: use 1-64 characters a-z, 0-9, '-' or '_', starting with a letter or digit"
        )
    return tenant


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ApiKey(BaseModel):
    """A stored key (never the token itself)."""

    key_id: str
    kind: KeyKind
    hint: str
    tenant: str
    origins: list[str]
    rate: str
    label: str = ""
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CreatedKeys(BaseModel):
    """What `create` returns: the tokens in clear, exactly once."""

    key_id: str
    tenant: str
    origins: list[str]
    rate: str
    publishable_key: str
    secret_key: str | None


class KeyStore:
    """Key management over `web.db`."""

    def __init__(self, db: WebDB) -> None:
        self.db = db

    def create(
        self,
        tenant: str,
        origins: list[str],
        rate: str = "60/min",
        *,
        label: str = "",
        with_secret: bool = True,
    ) -> CreatedKeys:
        validate_tenant(tenant)
        parse_rate(rate)
        if not origins:
            raise KeyConfigError("--origin: give at least one allowed origin for the publishable key")
        norm = sorted({normalise_origin(o) for o in origins})
        key_id = "key_" + secrets.token_hex(6)
        pk = "pk_" + secrets.token_urlsafe(24)
        sk = "sk_" + secrets.token_urlsafe(32) if with_secret else None
        created = _now()
        rows = [(pk, "pk")] + ([(sk, "sk")] if sk else [])
        conn = self.db.connect()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            for token, kind in rows:
                conn.execute(
                    "INSERT INTO web_keys (token_hash, key_id, kind, hint, tenant, origins, rate, label, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        hash_token(token),
                        key_id,
                        kind,
                        token[:7] + "…",
                        tenant,
                        json.dumps(norm),
                        rate,
                        label,
                        created,
                    ),
                )
        return CreatedKeys(
            key_id=key_id, tenant=tenant, origins=norm, rate=rate, publishable_key=pk, secret_key=sk
        )

    def lookup(self, token: str) -> ApiKey | None:
        """The active key for a token, or None (unknown or revoked)."""
        if not token.startswith(("pk_", "sk_")) or len(token) > 200:
            return None
        row = (
            self.db.connect()
            .execute(
                "SELECT * FROM web_keys WHERE token_hash = ? AND revoked_at IS NULL", (hash_token(token),)
            )
            .fetchone()
        )
        return _row_to_key(row) if row else None

    def list(self, tenant: str | None = None, *, include_revoked: bool = False) -> list[ApiKey]:
        sql = "SELECT * FROM web_keys WHERE 1=1"
        params: list[str] = []
        if tenant is not None:
            sql += " AND tenant = ?"
            params.append(tenant)
        if not include_revoked:
            sql += " AND revoked_at IS NULL"
        sql += " ORDER BY created_at, key_id, kind"
        return [_row_to_key(r) for r in self.db.connect().execute(sql, params).fetchall()]

    def revoke(self, key_id: str) -> int:
        """Revoke both keys of a pair; returns how many were active."""
        conn = self.db.connect()
        cur = conn.execute(
            "UPDATE web_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", (_now(), key_id)
        )
        return cur.rowcount

    def revoke_label(self, tenant: str, label: str) -> int:
        cur = self.db.connect().execute(
            "UPDATE web_keys SET revoked_at = ? WHERE tenant = ? AND label = ? AND revoked_at IS NULL",
            (_now(), tenant, label),
        )
        return cur.rowcount

    def allowed_origins(self) -> set[str]:
        """Every origin some active publishable key allows (for CORS preflights, which carry no key)."""
        out: set[str] = set()
        for (origins,) in self.db.connect().execute(
            "SELECT DISTINCT origins FROM web_keys WHERE kind = 'pk' AND revoked_at IS NULL"
        ):
            out.update(json.loads(origins))
        return out


def _row_to_key(row: object) -> ApiKey:
    r = dict(row)  # type: ignore[call-overload]
    r["origins"] = json.loads(r.pop("origins"))
    r.pop("token_hash", None)
    return ApiKey.model_validate(r)
