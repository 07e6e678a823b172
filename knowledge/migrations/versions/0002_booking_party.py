"""Bookings name who they are for: `holder_id` (the organisation's ORG id, when the hold is for
a known organisation) beside `holder` (its name, or a person), and `thread_id` (the
conversation that placed it) as its own column instead of standing in for the holder.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE bookings ADD COLUMN holder_id text")
    op.execute("ALTER TABLE bookings ADD COLUMN thread_id text")
    op.execute("CREATE INDEX bookings_holder_id ON bookings (holder_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS bookings_holder_id")
    op.execute("ALTER TABLE bookings DROP COLUMN thread_id")
    op.execute("ALTER TABLE bookings DROP COLUMN holder_id")
