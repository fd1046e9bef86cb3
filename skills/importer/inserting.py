"""Inserting an import's many new rows of one table: COPY on PostgreSQL, bulk_create elsewhere.

bulk_create spends longer composing its INSERT statements (every value of every row compiled into
SQL) than PostgreSQL spends running them; COPY streams the rows as they are. COPY returns no ids,
so the ids are taken from the table's sequence first, in one query, and written with the rows
(or, when the rows bring their own ids, those are written and the sequence moved past them).
benchmarks/generate_state_dataset.py loads the state data set through the same function."""

from django.db import connection
from django.utils import timezone

BATCH_SIZE = 1000


def insert_rows(model, rows, written=None):
    """Insert rows of model, each a dict of field attnames to values (every other column gets the
    model's default, an auto_now field the time now), and return their new ids, in order.
    The rows may all name their primary key: then those are their ids.
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
    """Each concrete field but the primary key, with the value a row that does not name it gets,
    as the database stores it."""
    now = timezone.now()
    return {
        field: field.get_db_prep_save(
            now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default(),
            connection,
        )
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


def preparer(field):
    """field.get_db_prep_save for COPY, which sends values as they are: a field whose value in the
    database differs from its Python value (a JSONField's dict, a custom field) needs it, as
    bulk_create would apply it. Each distinct value is prepared once: an import repeats its
    centres, dates, districts and statuses on thousands of rows."""
    prepared = {}

    def prepare(value):
        try:
            key = (type(value), value)
            return prepared[key]
        except KeyError:
            prepared[key] = field.get_db_prep_save(value, connection)
            return prepared[key]
        except TypeError:  # unhashable (a dict, a list): prepared each time
            return field.get_db_prep_save(value, connection)

    return prepare


def copy_rows(model, rows, written=None):
    defaults = column_defaults(model)
    pk_field = model._meta.pk
    fields = {pk_field.attname: pk_field, **{field.attname: field for field in defaults}}
    unknown = rows[0].keys() - fields.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    quote = connection.ops.quote_name
    table = model._meta.db_table
    columns = ", ".join(quote(field.column) for field in fields.values())
    prepare = {name: preparer(field) for name, field in fields.items()}
    template = {pk_field.attname: None, **{field.attname: value for field, value in defaults.items()}}
    own_ids = pk_field.attname in rows[0]
    with connection.cursor() as cursor:
        if own_ids:
            ids = [row[pk_field.attname] for row in rows]
        else:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk_field.column, len(rows)],
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
                    values = template.copy()
                    values[pk_field.attname] = pk_value
                    for name, value in row.items():
                        values[name] = prepare[name](value)
                    copy.write_row(list(values.values()))
                if written:
                    written(len(batch))
        if own_ids:
            largest = f"SELECT MAX({quote(pk_field.column)}) FROM {quote(table)}"  # noqa: S608 - our names
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), ({largest}))", [table, pk_field.column]
            )
    return ids
