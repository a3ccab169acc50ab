"""The sign-in backend: Django's ModelBackend, reading the account's staff record with it.

Almost every signed-in page asks for the person behind the account (people.permissions.
person_for reads `user.person`) and, for the service navigation, whether they line manage
anyone (`is_line_manager`, people.context_processors). Both come with the account in one query.

That query runs on every signed-in request, and building it through the ORM cost 1.9 ms of CPU
each time against 0.24 ms for the same SQL sent as text (docs/performance.md). So its SQL is
written once per process from the models' own table and column names, and the rows become model
instances through `from_db` and each field's database converters, as the ORM's own iterator
makes them. tests/people/test_auth_backend.py checks that it loads exactly what the ORM loads.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections

from .models import Person


@cache
def _account_statement(alias: str):
    """(sql, user columns, person columns) for one account by id: the account, its staff record
    (a left join: an account may have none) and whether an active person has it as line manager.
    Each column is (attname, expression, converters): worked out here, once, not per request."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    user_model = get_user_model()
    user_fields = list(user_model._meta.concrete_fields)
    person_fields = list(Person._meta.concrete_fields)
    line_manager = Person._meta.get_field("line_manager").column
    is_active = Person._meta.get_field("is_active").column
    person_user = Person._meta.get_field("user").column
    columns = [f"u.{quote(field.column)}" for field in user_fields]
    columns += [f"p.{quote(field.column)}" for field in person_fields]
    # Only the models' own table and column names, quoted, go into the text (S608 below).
    reports = (
        f"EXISTS (SELECT 1 FROM {quote(Person._meta.db_table)} r "  # noqa: S608
        f"WHERE r.{quote(line_manager)} = p.{quote(Person._meta.pk.column)} "
        f"AND r.{quote(is_active)})"
    )
    sql = (
        f"SELECT {', '.join(columns)}, {reports} "  # noqa: S608
        f"FROM {quote(user_model._meta.db_table)} u "
        f"LEFT OUTER JOIN {quote(Person._meta.db_table)} p ON p.{quote(person_user)} = "
        f"u.{quote(user_model._meta.pk.column)} "
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return (
        sql,
        _columns(user_model, user_fields, connection),
        _columns(Person, person_fields, connection),
    )


def _columns(model, fields, connection):
    columns = []
    for field in fields:
        expression = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(expression)
        columns.append(
            (field.attname, expression, converters + field.get_db_converters(connection))
        )
    return columns


def _instance(model, columns, values, connection):
    converted = []
    for (_attname, expression, converters), value in zip(columns, values, strict=True):
        for converter in converters:
            value = converter(value, expression, connection)
        converted.append(value)
    return model.from_db(connection.alias, [column[0] for column in columns], converted)


def load_account(user_id):
    """The account with `person` (or None) already loaded and `has_reports`, in one query; None
    if there is no such account."""
    connection = connections[DEFAULT_DB_ALIAS]
    sql, user_columns, person_columns = _account_statement(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user_model = get_user_model()
    split = len(user_columns)
    user = _instance(user_model, user_columns, row[:split], connection)
    person = None
    if row[split] is not None:  # the staff record's primary key: there is one
        values = row[split : split + len(person_columns)]
        person = _instance(Person, person_columns, values, connection)
        Person._meta.get_field("user").set_cached_value(person, user)
    # As select_related leaves it: `user.person` answers without a query (or raises
    # Person.DoesNotExist when there is no staff record).
    user_model._meta.get_field("person").set_cached_value(user, person)
    user.has_reports = bool(row[-1])
    return user


class StaffRecordBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:  # a session naming no valid id: nobody
            return None
        user = load_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
