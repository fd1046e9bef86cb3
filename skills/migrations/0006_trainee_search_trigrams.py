"""Trigram indexes so that searching 300,000 trainees by name stays fast on PostgreSQL.

Django's icontains compiles to UPPER(column::text) LIKE UPPER(pattern) on PostgreSQL, so the
indexes are on that expression. Other databases (SQLite in development) skip this migration.
Creating the pg_trgm extension needs a database superuser once (see docs/operator-guide.md)."""

from django.db import migrations

COLUMNS = ("full_name", "name_hi", "register_number")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS skills_trainee_{column}_trgm "
            f'ON skills_trainee USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS skills_trainee_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("skills", "0005_list_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
