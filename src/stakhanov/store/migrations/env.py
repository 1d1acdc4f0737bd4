"""Alembic environment: runs on the connection the application hands over."""

from alembic import context

from stakhanov.store.catalog import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
