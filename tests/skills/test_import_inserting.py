"""skills.importer.inserting: the one bulk writer of the import and of the benchmark data set.
Every value it writes is prepared as bulk_create would prepare it (field.get_db_prep_save), so a
field whose value in the database differs from its Python value is stored right on PostgreSQL's
COPY too; and rows that bring their own ids keep them, the sequence moved past them."""

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from skills.importer.inserting import insert_rows


class Reversed(models.CharField):
    """Stored back to front: its database value is never its Python value."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value[::-1] if isinstance(value, str) else value

    def from_db_value(self, value, expression, connection):
        return value[::-1] if isinstance(value, str) else value


@pytest.fixture
def parcel_model(db):
    """A table of the test's own with a Reversed and a JSON column, dropped with the test's
    transaction (PostgreSQL's DDL is transactional)."""
    with isolate_apps("skills"):

        class Parcel(models.Model):
            label = Reversed(max_length=20)
            details = models.JSONField(default=dict)
            note = Reversed(max_length=20, default="unsaid")

            class Meta:
                app_label = "skills"
                db_table = "test_inserting_parcel"

            def __str__(self):
                return self.label

        with connection.schema_editor() as editor:
            editor.create_model(Parcel)
        yield Parcel


def stored():
    """(label, details, note) as the database holds them, read past the fields."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT label, details::text, note FROM test_inserting_parcel ORDER BY id")
        return cursor.fetchall()


pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="COPY is PostgreSQL's (elsewhere insert_rows is bulk_create); CI runs this on PostgreSQL 15",
)


def test_every_value_is_written_as_the_database_stores_it(parcel_model):
    ids = insert_rows(
        parcel_model,
        [
            {"label": "first", "details": {"kind": "box", "weight": 2}},
            {"label": "second", "details": {"kind": "bag"}, "note": "fragile"},
            {"label": "first", "details": {"kind": "box", "weight": 2}},
        ],
    )

    assert stored() == [
        ("tsrif", '{"kind": "box", "weight": 2}', "diasnu"),
        ("dnoces", '{"kind": "bag"}', "eligarf"),
        ("tsrif", '{"kind": "box", "weight": 2}', "diasnu"),
    ]
    read = parcel_model.objects.order_by("pk")
    assert [(p.pk, p.label, p.details, p.note) for p in read] == [
        (ids[0], "first", {"kind": "box", "weight": 2}, "unsaid"),
        (ids[1], "second", {"kind": "bag"}, "fragile"),
        (ids[2], "first", {"kind": "box", "weight": 2}, "unsaid"),
    ]


def test_rows_that_bring_their_ids_keep_them_and_the_next_row_follows_them(parcel_model):
    assert insert_rows(parcel_model, [{"id": 40, "label": "a"}, {"id": 41, "label": "b"}]) == [40, 41]

    later = parcel_model.objects.create(label="c")

    assert later.pk == 42
    assert stored() == [("a", "{}", "diasnu"), ("b", "{}", "diasnu"), ("c", "{}", "diasnu")]


def test_a_field_the_model_lacks_is_refused_by_name(parcel_model):
    with pytest.raises(TypeError, match="Parcel has no field weight"):
        insert_rows(parcel_model, [{"label": "a", "weight": 3}])
