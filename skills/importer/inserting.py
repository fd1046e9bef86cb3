"""Inserting an import's many new rows of one table: COPY on PostgreSQL, bulk_create elsewhere.

bulk_create spends longer composing its INSERT statements (every value of every row compiled into
SQL) than PostgreSQL spends running them; COPY streams the rows as they are. COPY returns no ids,
so the ids are taken from the table's sequence first, in one query, and written with the rows."""

from django.db import connection
from django.utils import timezone

BATCH_SIZE = 1000


def insert_rows(model, rows, written=None):
    """Insert rows of model, each a dict of field attnames to values (every other column gets the
    model's default, an auto_now field the time now), and return their new ids, in order.
    written(count), if given, is called after each batch with the number of rows it wrote."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return copy_rows(model, rows, written)
    ids = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = model.objects.bulk_create([model(**row) for row in rows[start : start + BATCH_SIZE]])
        ids.extend(instance.pk for instance in batch)
        if written:
            written(len(batch))
    return ids


def column_defaults(model):
    """Each concrete field but the primary key, with the value a row that does not name it gets."""
    now = timezone.now()
    return {
        field: now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_db_prep_save(field.get_default(), connection)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


def copy_rows(model, rows, written=None):
    defaults = column_defaults(model)
    attnames = {field.attname for field in defaults}
    unknown = rows[0].keys() - attnames
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    columns = ", ".join(quote(column) for column in [pk, *(field.column for field in defaults)])
    names, values = [field.attname for field in defaults], list(defaults.values())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(rows)],
        )
        ids = sorted(pk_value for (pk_value,) in cursor.fetchall())
        # Raw psycopg errors become Django's IntegrityError and DataError, as bulk_create's would.
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy,
        ):
            for start in range(0, len(rows), BATCH_SIZE):
                batch = rows[start : start + BATCH_SIZE]
                for pk_value, row in zip(ids[start : start + BATCH_SIZE], batch, strict=True):
                    copy.write_row([pk_value, *map(row.get, names, values)])
                if written:
                    written(len(batch))
    return ids
