"""Knowledge records in PostgreSQL: `kb_items` (achievements, organisations, facilities, policy
documents as JSON, with their derived index data) and `kb_meta` (corpus hash, index version,
generation), the twins of the SQLite tables in `knowledge/records_store.py`, so every server
instance reads the same records and sees another's ingest through `generation`.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE kb_items (
            id         text PRIMARY KEY,
            kind       text NOT NULL,
            source     text NOT NULL,
            data       text NOT NULL,
            derived    text NOT NULL,
            updated_at text NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX kb_items_kind ON kb_items (kind)")
    op.execute("CREATE TABLE kb_meta (key text PRIMARY KEY, value text NOT NULL)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS kb_meta")
    op.execute("DROP TABLE IF EXISTS kb_items")
