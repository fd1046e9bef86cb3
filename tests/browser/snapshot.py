"""A copy of the whole test database, taken once the first browser test has built its data and put
back after each browser test's flush: cheaper than building it again (the page tree in both
languages, the registers, the certificates) before every test.

SQLite's test database is a shared in-memory one: sqlite3's backup API copies it page by page,
sequences and all. PostgreSQL's tables are copied with COPY, constraints deferred, and their
sequences set again. Any other database has no snapshot: the caller builds the data again."""

import io
import sqlite3

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def take():
    """The database's rows as they are now, or None where this database has no snapshot."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return SQLiteSnapshot(copy)
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot.take()
    return None


class SQLiteSnapshot:
    def __init__(self, copy):
        self.copy = copy

    def restore(self):
        connection.ensure_connection()
        self.copy.backup(connection.connection)


class PostgreSQLSnapshot:
    def __init__(self, rows):
        self.rows = rows  # {table: COPY text}

    @classmethod
    def take(cls):
        rows = {}
        with connection.cursor() as cursor:
            for table in tables():
                data = io.BytesIO()
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                    for chunk in copy:
                        data.write(chunk)
                rows[table] = data.getvalue()
        return cls(rows)

    def restore(self):
        quoted = ", ".join(connection.ops.quote_name(table) for table in self.rows)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"TRUNCATE {quoted}")
            for table, data in self.rows.items():
                if data:
                    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN") as copy:
                        copy.write(data)
            for statement in connection.ops.sequence_reset_sql(
                no_style(), apps.get_models(include_auto_created=True)
            ):
                cursor.execute(statement)


def tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
