"""The token that changes whenever anything a capability report reads changes.

insights.reports keeps the reports it works out between requests. To know that a kept report is
still right it reads one token, CapabilityDataVersion's, which database triggers replace with a
new random value after every insert, update, delete or truncate of the tables a report reads:
the summary of signed-off outcomes (OutcomeCount), departments, role levels, priority skills
and skills. The triggers fire in the writer's own transaction, whatever the writer: a sign-off's
upsert, a rebuild, the admin, an import, a cascade. Random tokens are never used twice, even
when a transaction that wrote one is rolled back.

The triggers are installed by migration 0003 and again after every `migrate` (post_migrate;
SQLite drops a table's triggers when a migration rebuilds the table), each time with a new token.
PostgreSQL (13 or later, for gen_random_uuid) and SQLite are supported; on any other database
there are no triggers and no token, and reports are worked out afresh on every request.
"""

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def _tables() -> list[str]:
    from people.models import Department
    from roles.models import PrioritySkill, RoleLevel, Skill

    from .models import OutcomeCount

    return [
        model._meta.db_table
        for model in (OutcomeCount, Department, RoleLevel, PrioritySkill, Skill)
    ]


def _version_table() -> str:
    from .models import CapabilityDataVersion

    return CapabilityDataVersion._meta.db_table


FUNCTION = "capability_data_changed"
NEW_TOKEN = {
    "postgresql": "gen_random_uuid()::text",
    "sqlite": "lower(hex(randomblob(16)))",
}
SQLITE_EVENTS = ("insert", "update", "delete")


def _new_token_sql(vendor: str, quote) -> str:
    # An upsert: it puts the row back if it was removed (a flush), and on SQLite it is not
    # overridden by the writing statement's own OR clause (INSERT OR IGNORE, which is what
    # bulk_create(ignore_conflicts=True) writes) as INSERT OR REPLACE would be. Names come from
    # the models and NEW_TOKEN; there are no values.
    return (
        f"INSERT INTO {quote(_version_table())} (id, token) VALUES (1, {NEW_TOKEN[vendor]}) "  # noqa: S608
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    )


def _trigger(table: str, event: str = "") -> str:
    return f"{table}_capability_data" + (f"_{event}" if event else "")


def triggers_remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (before the version table goes: they write to it)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in _tables():
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(_trigger(table))} ON {quote(table)}")
            elif connection.vendor == "sqlite":
                for event in SQLITE_EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {quote(_trigger(table, event))}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def triggers_install(connection: BaseDatabaseWrapper) -> bool:
    """(Re)create the triggers on every table a report reads that exists, and write a new token.
    Idempotent. Returns whether there are triggers (False: no version table, or a database
    other than PostgreSQL and SQLite)."""
    vendor = connection.vendor
    if vendor not in NEW_TOKEN:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    if _version_table() not in existing:
        triggers_remove(connection)
        return False
    new_token = _new_token_sql(vendor, quote)
    statements = []
    if vendor == "postgresql":
        statements.append(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {new_token}; RETURN NULL; END $$"
        )
    for table in _tables():
        if table not in existing:
            continue
        if vendor == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {quote(_trigger(table))} ON {quote(table)}",
                f"CREATE TRIGGER {quote(_trigger(table))} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
            ]
        else:
            for event in SQLITE_EVENTS:
                name = quote(_trigger(table, event))
                statements += [
                    f"DROP TRIGGER IF EXISTS {name}",
                    f"CREATE TRIGGER {name} AFTER {event.upper()} ON {quote(table)} "
                    f"BEGIN {new_token}; END",
                ]
    statements.append(new_token)
    execute_together(connection, statements)
    return True


def current_token(using: str = "default") -> str | None:
    """The token now, or None when there is none (a database without the triggers)."""
    from django.db import connections

    connection = connections[using]
    table = connection.ops.quote_name(_version_table())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")  # noqa: S608 (a model's name)
        row = cursor.fetchone()
    return row[0] if row else None


def execute_together(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    """Run `statements` in one transaction: a set of triggers is installed whole or not at all."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def installed_after_migrate(sender, using, **kwargs) -> None:
    """post_migrate: put the triggers back, these and assessments.page_data's (a migration may
    have rebuilt a table)."""
    from django.db import connections

    from .page_data import triggers_install as page_data_triggers_install

    triggers_install(connections[using])
    page_data_triggers_install(connections[using])
