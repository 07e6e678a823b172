"""Alembic environment for chengguo's PostgreSQL schema.

`knowledge.migrate.upgrade(url)` passes an open SQLAlchemy connection (inside a transaction that
holds an advisory lock, so servers starting together migrate once); the `alembic` command line
works too with `-x url=postgresql://…` or `CHENGGUO_DATABASE_URL`.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from knowledge.migrate import sqlalchemy_url

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ["CHENGGUO_DATABASE_URL"]
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
