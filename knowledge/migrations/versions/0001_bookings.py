"""Bookings, audit log, idempotency keys: the PostgreSQL twin of the SQLite booking store.

No double booking is enforced by PostgreSQL itself: an exclusion constraint (btree_gist for
the `=` on text) rejects two live rows of one facility whose date ranges overlap. A hold past
its expiry still reads `held` until a write materialises it as `expired`; every write does that
first, inside its transaction, before inserting.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # btree_gist is a trusted extension (PostgreSQL >= 13): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        """
        CREATE TABLE bookings (
            reference   text PRIMARY KEY,
            facility_id text NOT NULL,
            start       date NOT NULL,
            "end"       date NOT NULL,
            status      text NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'expired')),
            holder      text NOT NULL,
            expires_at  timestamptz,
            created_at  timestamptz NOT NULL,
            updated_at  timestamptz NOT NULL,
            source      text NOT NULL DEFAULT 'tool',
            CHECK ("end" > start),
            CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
                facility_id WITH =, daterange(start, "end") WITH &&
            ) WHERE (status IN ('held', 'confirmed'))
        )
        """
    )
    op.execute("CREATE INDEX bookings_facility ON bookings (facility_id, start)")
    op.execute(
        """
        CREATE TABLE booking_audit (
            id              bigserial PRIMARY KEY,
            ts              timestamptz NOT NULL,
            action          text NOT NULL,
            reference       text,
            actor           text NOT NULL,
            idempotency_key text,
            payload         jsonb NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX booking_audit_reference ON booking_audit (reference)")
    op.execute(
        """
        CREATE TABLE booking_idempotency (
            key          text PRIMARY KEY,
            action       text NOT NULL,
            request_hash text NOT NULL,
            response     jsonb NOT NULL,
            created_at   timestamptz NOT NULL
        )
        """
    )
    op.execute("CREATE TABLE booking_meta (key text PRIMARY KEY, value text NOT NULL)")


def downgrade() -> None:
    for table in ("booking_meta", "booking_idempotency", "booking_audit", "bookings"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
