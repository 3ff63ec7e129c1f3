"""Cached figures that are never stale: a token the database changes whenever what the figures are made of changes.

Official figures (indicators.selectors) are computed from approved results, targets, indicators, the plan tree and
the areas. Computing the national ones scans every approved result (a third of a second at national scale), yet
they change only when someone writes one of those tables. So the figures are cached under a token, and database
triggers on every one of those tables give the token a new random value in the same transaction as the write,
whatever wrote it (a service, the admin, a bulk import, a data migration, a raw UPDATE):

- Results count only when approved: a result row changes the token only when it is, or was, approved (saving or
  submitting a result leaves the figures alone); any write to the other tables changes it.
- PostgreSQL: a constraint trigger, deferred to the commit, on every row written; the first one of a transaction
  changes the token and marks the transaction (a transaction-local setting), the others return at once. Run at the
  commit, after every other lock the transaction takes, it never makes two writers wait on each other in a cycle;
  and the new token becomes visible in the same instant as the data it stands for, so a reader that sees the new
  token sees the new data. (A reader that read the old token just before a commit may store new figures under
  the old token: harmless, the next reader sees the new token.) TRUNCATE (flushes) changes the token too.
- SQLite (development, tests): a trigger per row; SQLite has one writer at a time.

The triggers are (re)installed after every migrate (post_migrate), because SQLite drops a table's triggers when a
migration rebuilds the table. A token row that is missing (after a flush) is created with a fresh random value.
"""

import hashlib
import json
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from .models import FiguresToken

FIGURES_ROW = "figures"
# What the figures are made of. A table missing from this list makes cached figures stale when it changes.
WATCHED_TABLES = (
    "indicators_result",
    "indicators_target",
    "indicators_indicator",
    "strategies_plannode",
    "strategies_plannode_aligns_to",
    "areas_region",
    "areas_provincegroup",
    "areas_province",
    "areas_district",
    "areas_subdistrict",
)
TOKEN_TABLE = FiguresToken._meta.db_table
# Bumped when the shape of what is cached changes, so a deploy never reads objects pickled by older code.
KEY_VERSION = 1
# How long a cached figure is kept at most; it is replaced as soon as the token changes anyway.
CACHE_SECONDS = 24 * 60 * 60

# The SQL names the token table and row literally (FiguresToken's table, FIGURES_ROW).
POSTGRES_FUNCTIONS = """
CREATE OR REPLACE FUNCTION codi_figures_changed() RETURNS trigger AS $$
BEGIN
  IF current_setting('codi.figures_changed', true) = 'yes' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('codi.figures_changed', 'yes', true);
  UPDATE indicators_figurestoken SET token = md5(random()::text || clock_timestamp()::text) WHERE name = 'figures';
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION codi_figures_truncated() RETURNS trigger AS $$
BEGIN
  UPDATE indicators_figurestoken SET token = md5(random()::text || clock_timestamp()::text) WHERE name = 'figures';
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


# Official figures count approved results only: a result row changes them only when it is, or was, approved (a rep
# saving or submitting a result leaves the cached figures alone). Every other table changes them on any write.
APPROVED = "'approved'"
ROW_CONDITIONS = {
    "indicators_result": {
        "INSERT": f"NEW.status = {APPROVED}",
        "UPDATE": f"OLD.status = {APPROVED} OR NEW.status = {APPROVED}",
        "DELETE": f"OLD.status = {APPROVED}",
    }
}
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _when(table: str, event: str) -> str:
    condition = ROW_CONDITIONS.get(table, {}).get(event)
    return f" WHEN ({condition})" if condition else ""


def _postgres_statements(table: str) -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS codi_figures_changed ON {table}"]  # the one trigger of the first version
    for event in EVENTS:
        name = f"codi_figures_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
            f"{_when(table, event)} EXECUTE FUNCTION codi_figures_changed()",
        ]
    return [
        *statements,
        f"DROP TRIGGER IF EXISTS codi_figures_truncated ON {table}",
        f"CREATE TRIGGER codi_figures_truncated AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION codi_figures_truncated()",
    ]


SQLITE_CHANGE_FIGURES = "UPDATE indicators_figurestoken SET token = lower(hex(randomblob(16))) WHERE name = 'figures'"


def _sqlite_statements(table: str) -> list[str]:
    statements = []
    for event in EVENTS:
        name = f"codi_figures_{table}_{event.lower()}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table}{_when(table, event)} BEGIN {SQLITE_CHANGE_FIGURES}; END",
        ]
    return statements


def install_triggers(using: str = "default") -> None:
    """Create (or replace) the triggers on every watched table of the database."""
    from django.db import connections

    conn = connections[using]
    tables = set(conn.introspection.table_names())
    if TOKEN_TABLE not in tables:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTIONS)
            statements = [s for table in WATCHED_TABLES if table in tables for s in _postgres_statements(table)]
        elif conn.vendor == "sqlite":
            statements = [s for table in WATCHED_TABLES if table in tables for s in _sqlite_statements(table)]
        else:
            return
        for statement in statements:
            cursor.execute(statement)


def install_triggers_after_migrate(sender, using="default", **kwargs) -> None:
    install_triggers(using)


def figures_token() -> str:
    """Return the current token (one indexed read); create the row with a fresh token when it is missing."""
    token = FiguresToken.objects.filter(name=FIGURES_ROW).values_list("token", flat=True).first()
    if token is not None:
        return token
    fresh = secrets.token_hex(16)
    try:
        with transaction.atomic():
            FiguresToken.objects.create(name=FIGURES_ROW, token=fresh)
    except IntegrityError:
        return FiguresToken.objects.get(name=FIGURES_ROW).token
    return fresh


def cached(key: str, compute, *, token: str | None = None):
    """Return compute()'s value, cached under the figures token: recomputed as soon as anything it reads changes."""
    if not settings.INDICATOR_FIGURES_CACHE:
        return compute()
    token = token or figures_token()
    full_key = f"figures:v{KEY_VERSION}:{_settings_fingerprint()}:{connection.alias}:{token}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


def _settings_fingerprint() -> str:
    """The settings the figures depend on (the status bands), so changing them is never served from the cache."""
    bands = json.dumps(getattr(settings, "INDICATOR_STATUS_BANDS", None), sort_keys=True, default=str)
    return hashlib.sha256(bands.encode()).hexdigest()[:8]
