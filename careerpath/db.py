"""Bulk-loading helpers for the staff import (people.importer) and the generated organisation
(people.seed, assessments.seed). No domain rules here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    batch_size: int = 5000,
) -> int:
    """Set `fields` (names or attribute names, like "department_id") on many rows: rows are
    tuples (pk, value, value ...) in the order of `fields`. On PostgreSQL one
    UPDATE ... FROM (VALUES ...) per batch; elsewhere Django's bulk_update. Returns how many rows
    were given."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        objs = []
        for row in rows:
            obj = model(pk=row[0])
            for name, value in zip(fields, row[1:], strict=True):
                setattr(obj, model._meta.get_field(name).attname, value)
            objs.append(obj)
        model.objects.bulk_update(
            objs, [model._meta.get_field(f).name for f in fields], batch_size=1000
        )
        return len(rows)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in fields]
    casts = [model._meta.get_field(name).db_type(connection) for name in fields]
    pk = connection.ops.quote_name(model._meta.pk.column)
    setters = ", ".join(
        f"{connection.ops.quote_name(c)} = v.c{i}::{t}"
        for i, (c, t) in enumerate(zip(columns, casts, strict=True))
    )
    names = ", ".join(["id"] + [f"c{i}" for i in range(len(columns))])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(batch[0])) + ")"] * len(batch))
            params = [value for row in batch for value in row]
            # Table and column names come from the model, values are parameters.
            source = f"(VALUES {placeholders}) AS v({names})"
            sql = f"UPDATE {table} AS t SET {setters} FROM {source} WHERE t.{pk} = v.id::bigint"  # noqa: S608
            cursor.execute(sql, params)
    return len(rows)


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys for rows about to be bulk-created (so that paths and foreign
    keys can be computed first). PostgreSQL takes them from the sequence; other databases (tests,
    single writer) continue from the largest key."""
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    largest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return list(range(largest + 1, largest + 1 + count))


def planner_statistics_refresh(*model_classes: type[models.Model]) -> None:
    """After a bulk load, bring PostgreSQL's planner statistics for these tables up to date.

    Without it the planner guesses from the empty tables it last saw and, until autovacuum
    catches up, picks plans hundreds of times slower (the review queue took 18 ms, not 0.05).
    """
    if connection.vendor != "postgresql" or not model_classes:
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in model_classes)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def statement_timeout_lift() -> None:
    """Bulk loads run longer than a web request may: lift the statement timeout (settings.py)
    for the rest of the current transaction. Call inside transaction.atomic()."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
