"""Tables for people who log in: users, their role grants, sessions, login attempts, kiosk PINs.

These are not ledger tables: a password changes and a session ends. Every row that a person
writes names who wrote it (`created_by`, `granted_by`, `revoked_by`, `set_by`).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table

from stakhanov.store.metadata import metadata

users = Table(
    "users",
    metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("worker_id", String(100), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("language", String(10), nullable=True),  # migration 0046: the person's choice
)

grants = Table(
    "grants",
    metadata,
    Column("grant_id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.user_id"), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("scope", String(500), nullable=True),
    Column("granted_by", String(200), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("revoked_by", String(200), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.user_id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("attempt_id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),
    Column("client", String(100), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
)

kiosk_pins = Table(
    "kiosk_pins",
    metadata,
    Column("worker_id", String(100), primary_key=True),
    Column("pin_hash", String(200), nullable=False),
    Column("set_by", String(200), nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
)

# The server's own keys (an entry token's signing key, decision 0866): made at random on first
# use and never shown; a key named here signs what only this server may vouch for.
server_keys = Table(
    "server_keys",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("secret", String(200), nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
)
