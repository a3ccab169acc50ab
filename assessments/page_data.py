"""The tokens behind a signed-in person's kept pages (assessments.personal_pages).

A page such as "Your assessments" or a manager's review queue reads the person's own records and
those of everyone below them. Two tokens say whether any of that may have changed since a page
was made, and database triggers replace them, in the writer's own transaction, whatever the
writer (a service, the admin, an import, a cascade, a bulk load):

- `directory`, after any write to people (except linking a person to their account, which
  replaces only the tokens of the accounts concerned), departments, accounts (except the time
  of the last sign-in, written at every sign-in), professions and who heads them (for the
  whole civil service or a department), levels, skills or framework versions. These change
  rarely (an HR import, an admin's edit), and a page shows names, lines and levels of
  people other than its reader, so any change there is taken as a change to every page.
- `user:<account id>`, after any write to a self-assessment, its ratings or timeline, or a
  development plan action or its comments: for the account of the person it belongs to and of
  everyone above them in their line (whose review queue shows it), and of its reviewer.

Tokens are random and never used twice. PostgreSQL's triggers run once per statement (a bulk
load is one small update); SQLite's once per row. The triggers are installed by migration 0008
and again after every `migrate` (by assessments.capability_data's receiver: SQLite drops a
table's triggers when a migration rebuilds it).
On any other database there are no triggers and no pages are kept.
"""

from __future__ import annotations

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .capability_data import NEW_TOKEN, execute_together

DIRECTORY = "directory"
USER = "user:{}"
PREFIX = "page_data"
# No reviewer: a NULL both databases compare with a person id.
NO_ONE = "CAST(NULL AS bigint)"


def _models():
    from django.contrib.auth import get_user_model

    from people.models import Department, DepartmentalHead, Person
    from roles.models import FrameworkVersion, Profession, RoleLevel, Skill

    from .models import (
        AssessmentEvent,
        PageDataVersion,
        PlanAction,
        PlanComment,
        Rating,
        SelfAssessment,
    )

    return {
        "version": PageDataVersion,
        "person": Person,
        # Every table here, and people but for linking an account (see _person_columns).
        "directory": [
            Department,
            DepartmentalHead,
            Profession,
            Profession.heads.through,
            RoleLevel,
            Skill,
            FrameworkVersion,
        ],
        "user": get_user_model(),
        "assessment": SelfAssessment,
        "plan_action": PlanAction,
        # A table whose rows belong to an assessment or a plan action: (model, its column).
        "of_assessment": [Rating, AssessmentEvent],
        "of_plan_action": [PlanComment],
    }


def _person_columns(person_model) -> list[str]:
    """Every column of people but the account's link. Linking a person to their account (at
    their first sign-in: at 280,000 people, often) changes no page but that account's, so it
    replaces only the tokens of the accounts unlinked and linked, not the directory's."""
    return [f.column for f in person_model._meta.concrete_fields if f.name != "user"]


def _link_sql(vendor: str, quote) -> str:
    return _upsert(
        vendor, quote, "SELECT 'user:' || OLD.user_id AS k UNION SELECT 'user:' || NEW.user_id"
    )


def _user_columns(user_model) -> list[str]:
    """Every column of the accounts table but the last sign-in's time."""
    return [f.column for f in user_model._meta.concrete_fields if f.name != "last_login"]


def read_tokens(user_id: object, using: str = "default") -> tuple[str, str] | None:
    """(directory token, the account's token), giving the account a token if it has none yet;
    None when the database keeps no tokens (then nothing may be kept)."""
    connection = connections[using]
    if connection.vendor not in NEW_TOKEN:
        return None
    table = connection.ops.quote_name(_models()["version"]._meta.db_table)
    mine = USER.format(int(user_id))
    query = f"SELECT key, token FROM {table} WHERE key IN (%s, %s)"  # noqa: S608 (names only)
    with connection.cursor() as cursor:
        cursor.execute(query, [DIRECTORY, mine])
        tokens = dict(cursor.fetchall())
        if DIRECTORY not in tokens:
            return None
        if mine not in tokens:
            cursor.execute(
                f"INSERT INTO {table} (key, token) VALUES (%s, {NEW_TOKEN[connection.vendor]}) "  # noqa: S608
                "ON CONFLICT (key) DO NOTHING",
                [mine],
            )
            cursor.execute(query, [DIRECTORY, mine])
            tokens = dict(cursor.fetchall())
    if DIRECTORY not in tokens or mine not in tokens:
        return None
    return tokens[DIRECTORY], tokens[mine]


# -- The triggers ---------------------------------------------------------------------------


def _upsert(vendor: str, quote, keys_sql: str) -> str:
    """New tokens for the keys `keys_sql` selects (one column, k; NULLs left out)."""
    table = quote(_models()["version"]._meta.db_table)
    return (
        f"INSERT INTO {table} (key, token) SELECT k, {NEW_TOKEN[vendor]} "  # noqa: S608
        f"FROM ({keys_sql}) AS page_data_keys WHERE k IS NOT NULL "
        "ON CONFLICT (key) DO UPDATE SET token = excluded.token"
    )


def _directory_sql(vendor: str, quote) -> str:
    return _upsert(vendor, quote, f"SELECT '{DIRECTORY}' AS k")


def _owners_sql(vendor: str, quote, owners: str, reviewers: str) -> str:
    """Keys of the accounts of the people `owners` selects (a column of person ids), of everyone
    above them in their line, and of the people `reviewers` selects."""
    people = quote(_models()["person"]._meta.db_table)
    if vendor == "postgresql":
        line = (
            f"SELECT DISTINCT 'user:' || above.user_id AS k FROM {people} AS owner "  # noqa: S608
            f"JOIN {people} AS above ON above.id = ANY (array_append(string_to_array("
            "trim(both '/' from owner.management_path), '/')::bigint[], owner.id)) "
            f"WHERE owner.id IN ({owners})"
        )
        return f"{line} UNION SELECT 'user:' || user_id FROM {people} WHERE id IN ({reviewers})"  # noqa: S608
    # SQLite: one row at a time; the line comes from the path, read through json_each.
    path_of_owner = f"(SELECT management_path FROM {people} WHERE id = {owners})"  # noqa: S608
    as_json = f"'[' || replace(trim(coalesce({path_of_owner}, ''), '/'), '/', ',') || ']'"
    path = f"(SELECT value FROM json_each({as_json}))"  # noqa: S608
    return (
        f"SELECT 'user:' || user_id AS k FROM {people} WHERE id = {owners} "  # noqa: S608
        f"UNION SELECT 'user:' || user_id FROM {people} WHERE id IN {path} "
        f"UNION SELECT 'user:' || user_id FROM {people} WHERE id = {reviewers}"
    )


def _personal_sources(quote) -> list[tuple[str, str, str]]:
    """(table, owners, reviewers) for each table of personal records, with {rows} standing for
    the written rows (a transition table on PostgreSQL, NEW or OLD on SQLite)."""
    models = _models()
    assessments = quote(models["assessment"]._meta.db_table)
    actions = quote(models["plan_action"]._meta.db_table)
    sources = [
        (models["assessment"]._meta.db_table, "{rows}.person_id", "{rows}.reviewer_id"),
        (models["plan_action"]._meta.db_table, "{rows}.person_id", NO_ONE),
    ]
    for model in models["of_assessment"]:
        sources.append(
            (
                model._meta.db_table,
                f"(SELECT person_id FROM {assessments} WHERE id = {{rows}}.assessment_id)",  # noqa: S608
                f"(SELECT reviewer_id FROM {assessments} WHERE id = {{rows}}.assessment_id)",  # noqa: S608
            )
        )
    for model in models["of_plan_action"]:
        sources.append(
            (
                model._meta.db_table,
                f"(SELECT person_id FROM {actions} WHERE id = {{rows}}.action_id)",  # noqa: S608
                NO_ONE,
            )
        )
    return sources


def _name(table: str, event: str) -> str:
    return f"{table}_{PREFIX}_{event}"


def _statements_postgresql(quote, existing) -> list[str]:
    models = _models()
    directory = _directory_sql("postgresql", quote)
    statements = [
        f"CREATE OR REPLACE FUNCTION {PREFIX}_directory() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {directory}; RETURN NULL; END $$"
    ]
    user_table = models["user"]._meta.db_table
    columns = ", ".join(quote(column) for column in _user_columns(models["user"]))
    directory_triggers = [
        (model._meta.db_table, "all", "INSERT OR UPDATE OR DELETE OR TRUNCATE")
        for model in models["directory"]
    ]
    people = models["person"]._meta.db_table
    person_columns = ", ".join(quote(column) for column in _person_columns(models["person"]))
    directory_triggers += [
        (user_table, "all", "DELETE OR TRUNCATE"),
        (user_table, "update", f"UPDATE OF {columns}"),
        (people, "all", "INSERT OR DELETE OR TRUNCATE"),
        (people, "update", f"UPDATE OF {person_columns}"),
    ]
    for table, event, events in directory_triggers:
        if table in existing:
            statements += [
                f"DROP TRIGGER IF EXISTS {quote(_name(table, event))} ON {quote(table)}",
                f"CREATE TRIGGER {quote(_name(table, event))} AFTER {events} ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_directory()",
            ]
    if people in existing:
        # Row by row: PostgreSQL gives no transition tables to a trigger on some columns.
        statements += [
            f"CREATE OR REPLACE FUNCTION {PREFIX}_person_link() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_link_sql('postgresql', quote)}; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {quote(_name(people, 'link'))} ON {quote(people)}",
            f"CREATE TRIGGER {quote(_name(people, 'link'))} AFTER UPDATE OF "
            f"{quote(models['person']._meta.get_field('user').column)} ON {quote(people)} "
            "FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) "
            f"EXECUTE FUNCTION {PREFIX}_person_link()",
        ]
    for table, owners, reviewers in _personal_sources(quote):
        if table not in existing:
            continue

        def changed(rows, owners=owners, reviewers=reviewers):
            return (
                f"SELECT {owners.format(rows=rows)} FROM {rows}",  # noqa: S608 (no values)
                f"SELECT {reviewers.format(rows=rows)} FROM {rows}",  # noqa: S608
            )

        new_owners, new_reviewers = changed("written_rows")
        old_owners, old_reviewers = changed("old_rows")
        function = f"{PREFIX}_{table}"
        on_update = _owners_sql(
            "postgresql",
            quote,
            f"{new_owners} UNION {old_owners}",
            f"{new_reviewers} UNION {old_reviewers}",
        )
        otherwise = _owners_sql("postgresql", quote, new_owners, new_reviewers)
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF TG_OP = 'UPDATE' THEN "
            f"{_upsert('postgresql', quote, on_update)}; "
            f"ELSE {_upsert('postgresql', quote, otherwise)}; END IF; RETURN NULL; END $$"
        )
        for event, referencing in (
            ("insert", "NEW TABLE AS written_rows"),
            ("update", "NEW TABLE AS written_rows OLD TABLE AS old_rows"),
            ("delete", "OLD TABLE AS written_rows"),
        ):
            name = quote(_name(table, event))
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}",
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {quote(table)} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
        # Emptied at once: every page is out of date.
        name = quote(_name(table, "truncate"))
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}",
            f"CREATE TRIGGER {name} AFTER TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_directory()",
        ]
    return statements


def _statements_sqlite(quote, existing) -> list[str]:
    models = _models()
    directory = _directory_sql("sqlite", quote)
    statements = []

    def trigger(table, event, events, body):
        name = quote(_name(table, event))
        statements.extend(
            [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {events} ON {quote(table)} BEGIN {body}; END",
            ]
        )

    for model in models["directory"]:
        table = model._meta.db_table
        if table in existing:
            for event in ("insert", "update", "delete"):
                trigger(table, event, event.upper(), directory)
    user_table = models["user"]._meta.db_table
    if user_table in existing:
        columns = ", ".join(quote(column) for column in _user_columns(models["user"]))
        trigger(user_table, "update", f"UPDATE OF {columns}", directory)
        trigger(user_table, "delete", "DELETE", directory)
    people = models["person"]._meta.db_table
    if people in existing:
        columns = ", ".join(quote(column) for column in _person_columns(models["person"]))
        trigger(people, "insert", "INSERT", directory)
        trigger(people, "delete", "DELETE", directory)
        trigger(people, "update", f"UPDATE OF {columns}", directory)
        link = quote(models["person"]._meta.get_field("user").column)
        trigger(people, "link", f"UPDATE OF {link}", _link_sql("sqlite", quote))
    for table, owners, reviewers in _personal_sources(quote):
        if table not in existing:
            continue

        def bump(rows, owners=owners, reviewers=reviewers):
            keys = _owners_sql(
                "sqlite", quote, owners.format(rows=rows), reviewers.format(rows=rows)
            )
            return _upsert("sqlite", quote, keys)

        trigger(table, "insert", "INSERT", bump("NEW"))
        trigger(table, "update", "UPDATE", bump("NEW") + "; " + bump("OLD"))
        trigger(table, "delete", "DELETE", bump("OLD"))
    return statements


def _all_tables() -> list[str]:
    models = _models()
    tables = [model._meta.db_table for model in models["directory"]]
    tables += [models["user"]._meta.db_table, models["person"]._meta.db_table]
    return tables + [table for table, _owners, _reviewers in _personal_sources(lambda n: n)]


def triggers_remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers (before the version table goes: they write to it)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in dict.fromkeys(_all_tables()):
            if table not in existing:
                continue
            for event in ("all", "insert", "update", "delete", "truncate", "link"):
                name = quote(_name(table, event))
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {quote(table)}")
                elif connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}_directory()")
            cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}_person_link()")
            for table, _owners, _reviewers in _personal_sources(quote):
                cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}_{table}()")


def triggers_install(connection: BaseDatabaseWrapper) -> bool:
    """(Re)create the triggers and write a new directory token. Idempotent. Returns whether
    there are triggers (False: no version table, or a database other than PostgreSQL and
    SQLite)."""
    vendor = connection.vendor
    if vendor not in NEW_TOKEN:
        return False
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    if _models()["version"]._meta.db_table not in existing:
        triggers_remove(connection)
        return False
    if vendor == "postgresql":
        statements = _statements_postgresql(quote, existing)
    else:
        statements = _statements_sqlite(quote, existing)
    statements.append(_directory_sql(vendor, quote))
    execute_together(connection, statements)
    return True
