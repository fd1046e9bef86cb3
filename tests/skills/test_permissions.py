"""Who sees and changes which centre's records in the training tracker: the permission matrix.

The rules: coordinators belong to one or more centres and see and change only those centres'
records; state officers see every centre, read-only; editors see none of the tracker; everyone
else is denied. Scoped querysets are the one door to the data, used by every view, export and
chooser. Employers never reach the Wagtail admin; anonymous users are sent to its login.

How Wagtail 8 denies, which the expected outcomes below spell out precisely:

* ``require_admin_access`` (around every admin URL) sends anonymous users, and users without
  ``wagtailadmin.access_admin`` (employers), to the admin login with ``?next=<the URL>``; the
  latter with the message "You do not have permission to access the admin."
* A ``PermissionDenied`` inside an admin view (a missing model permission) becomes a redirect to
  the admin home with the message "Sorry, you do not have permission to access this area."
* Views that load their record in ``setup()`` (inspect, history, usage, delete) and the tracker's
  action views look it up in the user's scoped queryset *before* any model-permission check, so a
  record outside the user's scope is a 404 there: its existence is not revealed.

The module builds small, recognisable records (names starting "Matrix") once, one set at Lucknow
and one at Patna I (and a trainee at each other centre), on the baseline of tests.factories; each
test reads them afresh and its changes are rolled back with its transaction.
"""

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu
from wagtail.log_actions import registry as log_registry

from skills import services
from skills.admin import TrainingViewSetGroup
from skills.models import AttendanceMark, Centre, Cohort, CohortSession, Course, Enrolment, Trainee
from tests.conftest import rolled_back_afterwards
from website.demo.users import seed_users

# ---------------------------------------------------------------------------------------------
# Roles, sides and expected outcomes
# ---------------------------------------------------------------------------------------------

LUCKNOW, PATNA = "lucknow", "patna"  # the two sides of the matrix: a Lucknow and a Patna I record
SIDE_CENTRE = {LUCKNOW: "lucknow", PATNA: "patna-1"}
SIDE_LABEL = {LUCKNOW: "Lucknow", PATNA: "Patna"}
ALL_CENTRES = ("lucknow", "patna-1", "patna-2", "buxar", "leh")

ROLES = ("admin", "coordinator", "coordinator.patna", "officer", "editor", "employer", "anonymous")
OWN_SIDE = {"coordinator": LUCKNOW, "coordinator.patna": PATNA}
VISIBLE_CENTRES = {
    "admin": ALL_CENTRES,
    "officer": ALL_CENTRES,
    "coordinator": ("lucknow",),
    "coordinator.patna": ("patna-1", "patna-2"),
}

OK = "200 OK"
NOT_FOUND = "404 Not Found"
DENIED = "redirect to the admin home with a permission error"
LOGIN = "redirect to the admin login"
NO_ADMIN = "redirect to the admin login with 'no admin access'"
SAVED = "saved (302 to the success URL)"

PERMISSION_ERROR = "Sorry, you do not have permission to access this area."
NO_ADMIN_ERROR = "You do not have permission to access the admin."

MODELS = {"trainee": Trainee, "cohort": Cohort, "enrolment": Enrolment, "cohortsession": CohortSession}
CENTRE_PATH = {
    "trainee": "centre__slug",
    "cohort": "centre__slug",
    "enrolment": "cohort__centre__slug",
    "cohortsession": "cohort__centre__slug",
}

LIST_VIEWS = ("index", "index_results", "export_csv", "export_xlsx", "add", "add_post")
RECORD_VIEWS = (
    "inspect",
    "history",
    "history_results",
    "usage",
    "edit",
    "edit_post",
    "delete",
    "delete_post",
)
EXPORTS = {"export_csv": "csv", "export_xlsx": "xlsx"}
# Wagtail views that fetch their record in setup(), before dispatch() checks the model permission.
LOADED_IN_SETUP = {"inspect", "history", "history_results", "usage", "delete", "delete_post"}
OFFICER_READS = {
    "index",
    "index_results",
    "export_csv",
    "export_xlsx",
    "inspect",
    "history",
    "history_results",
}


def expected(role, view, side, model=None):
    """The outcome the rules demand of `role` opening `view` on a record of `side`."""
    if role == "anonymous":
        return LOGIN
    if role == "employer":
        return NO_ADMIN
    if role == "admin":
        return SAVED if view.endswith("_post") else OK
    if role == "editor":
        # No tracker permission at all: the record lookup (empty scope) or the permission check denies.
        return NOT_FOUND if view in LOADED_IN_SETUP else DENIED
    if role == "officer":
        if view in OFFICER_READS:
            return OK
        if view in ("delete", "delete_post"):
            return NOT_FOUND  # the scoped "delete" queryset is empty, and it is looked up in setup()
        return DENIED  # add, edit, their POSTs; and usage, which Wagtail guards with "change"
    # A coordinator.
    if side is not None and side != OWN_SIDE[role]:
        return NOT_FOUND
    if view in ("delete", "delete_post") and model != "cohortsession":
        return NOT_FOUND  # coordinators have no delete permission (migration 0003): empty scope
    # ... except a session taken by mistake (migration 0010, issue 11): they delete their own.
    return SAVED if view.endswith("_post") else OK


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@dataclass
class Side:
    label: str
    centre: Centre
    trainee: Trainee
    spare: Trainee  # enrolled nowhere, for enrolment tests
    cohort: Cohort
    enrolment: Enrolment
    session: CohortSession

    def record(self, model):
        return {
            "trainee": self.trainee,
            "cohort": self.cohort,
            "enrolment": self.enrolment,
            "cohortsession": self.session,
        }[model]


@dataclass
class World:
    users: dict
    sides: dict

    def __getitem__(self, side):
        return self.sides[side]


PHONES = {LUCKNOW: "9876500011", PATNA: "9876500022"}
TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def build_side(side, label):
    centre = Centre.objects.get(slug=SIDE_CENTRE[side])
    trainee = Trainee.objects.create(
        centre=centre,
        full_name=f"Matrix {label} Trainee",
        register_number=f"MATRIX-{centre.code}",
        date_of_birth=datetime.date(1996, 4, 2),
        phone=PHONES[side],
        district=centre.district,
    )
    spare = Trainee.objects.create(
        centre=centre, full_name=f"Matrix {label} Spare", date_of_birth=datetime.date(1998, 8, 9)
    )
    cohort = Cohort.objects.create(
        course=Course.objects.filter(trade__slug="tailoring").first(),
        centre=centre,
        start_date=days(-30),
        end_date=days(100),
        capacity=10,
        status=Cohort.Status.OPEN,
        trainer=f"Matrix trainer {label}",
    )
    # Sessions are days that have happened, and count from her enrolment (issue 11).
    (enrolment,) = services.enrol([trainee], cohort, on=days(-30))
    session = CohortSession.objects.create(cohort=cohort, date=days(-10), topic=f"Matrix topic {label}")
    return Side(label, centre, trainee, spare, cohort, enrolment, session)


OTHER_CENTRES = ("patna-2", "buxar", "leh")


@pytest.fixture(scope="module")
def matrix_rows(django_db_setup, django_db_blocker):
    """The primary keys of each side's records, built once for the module."""
    with rolled_back_afterwards(django_db_blocker):
        seed_users()
        sides = {side: build_side(side, label) for side, label in SIDE_LABEL.items()}
        for slug in OTHER_CENTRES:  # every centre has a trainee, for the exports that cover them all
            centre = Centre.objects.get(slug=slug)
            Trainee.objects.create(
                centre=centre,
                full_name=f"Matrix {centre.code} Trainee",
                date_of_birth=datetime.date(1994, 1, 1),
            )
        yield {
            side_name: {field: getattr(side, field).pk for field in SIDE_RECORDS}
            for side_name, side in sides.items()
        }


SIDE_RECORDS = ("centre", "trainee", "spare", "cohort", "enrolment", "session")
SIDE_MODELS = {
    "centre": Centre,
    "trainee": Trainee,
    "spare": Trainee,
    "cohort": Cohort,
    "enrolment": Enrolment,
    "session": CohortSession,
}


@pytest.fixture
def world(db, matrix_rows):
    """The module's records, read afresh for each test: a test may change them (and roll back)."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    sides = {}
    for side_name, pks in matrix_rows.items():
        records = {field: SIDE_MODELS[field].objects.get(pk=pk) for field, pk in pks.items()}
        sides[side_name] = Side(SIDE_LABEL[side_name], **records)
    return World(users=users, sides=sides)


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


# ---------------------------------------------------------------------------------------------
# Helpers: URLs, form data, outcome checks
# ---------------------------------------------------------------------------------------------


def url_for(world, model, view, side=None):
    ns = f"skills_{model}"
    if view == "index":
        return reverse(f"{ns}:index") + "?q=Matrix"
    if view == "index_results":
        return reverse(f"{ns}:index_results") + "?q=Matrix"
    if view in EXPORTS:
        return reverse(f"{ns}:index") + f"?export={EXPORTS[view]}"
    if view in ("add", "add_post"):
        return reverse(f"{ns}:add")
    pk = world[side].record(model).pk
    name = view.removesuffix("_post")
    return reverse(f"{ns}:{name}", args=[pk])


CHANGED = "Changed by the matrix"
CHANGED_FIELD = {
    "trainee": "district",
    "cohort": "trainer",
    "enrolment": "assessment_result",
    "cohortsession": "topic",
}


def edit_data(model, record, **overrides):
    """A valid POST of the record's edit form that changes CHANGED_FIELD."""
    if model == "trainee":
        data = {
            "full_name": record.full_name,
            "centre": record.centre_id,
            "register_number": record.register_number,
            "date_of_birth": record.date_of_birth.isoformat(),
            "phone": record.phone,
        }
    elif model == "cohort":
        data = {
            "course": record.course_id,
            "centre": record.centre_id,
            "start_date": record.start_date.isoformat(),
            "end_date": record.end_date.isoformat(),
            "capacity": record.capacity,
            "status": record.status,
        }
    elif model == "enrolment":
        data = {"enrolled_on": record.enrolled_on.isoformat()}
    else:
        data = {"cohort": record.cohort_id, "date": record.date.isoformat()}
    data[CHANGED_FIELD[model]] = CHANGED
    data.update(overrides)
    return data


ADDED_TRAINEE = "Matrix Added Trainee"


def add_data(model, side, **overrides):
    """A valid POST of the add form, for a record at `side`'s centre."""
    data = {
        "trainee": {
            "full_name": ADDED_TRAINEE,
            "centre": side.centre.pk,
            "date_of_birth": "1990-01-15",
        },
        "cohort": {
            "course": side.cohort.course_id,
            "centre": side.centre.pk,
            "start_date": days(40).isoformat(),
            "end_date": days(90).isoformat(),
            "capacity": 12,
            "status": Cohort.Status.PLANNED,
            "trainer": "Matrix added trainer",
        },
        "enrolment": {"trainee": side.spare.pk, "cohort": side.cohort.pk, "enrolled_on": TODAY().isoformat()},
        "cohortsession": {
            "cohort": side.cohort.pk,
            "date": days(-11).isoformat(),
            "topic": "Matrix added topic",
        },
    }[model]
    data.update(overrides)
    return data


def added(model, side):
    """The records an add POST of add_data(model, side) would create."""
    return {
        "trainee": lambda: Trainee.objects.filter(full_name=ADDED_TRAINEE),
        "cohort": lambda: Cohort.objects.filter(trainer="Matrix added trainer"),
        "enrolment": lambda: Enrolment.objects.filter(trainee=side.spare),
        "cohortsession": lambda: CohortSession.objects.filter(topic="Matrix added topic"),
    }[model]()


def form_errors(response):
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return dict(form.errors) if form is not None else None


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def assert_outcome(response, outcome, *, role, url, success_url=None):
    method = response.wsgi_request.method
    where = f"{role} {method} {url}: expected {outcome}"
    status = response.status_code
    location = response.get("Location", "")
    got = f"got {status} {location}".strip()
    if outcome == OK:
        assert status == 200, f"{where}, {got}"
    elif outcome == NOT_FOUND:
        assert status == 404, f"{where}, {got}"
    elif outcome == DENIED:
        assert status == 302 and location == reverse("wagtailadmin_home"), f"{where}, {got}"
        assert PERMISSION_ERROR in messages_of(response), f"{where}: no permission error message"
    elif outcome in (LOGIN, NO_ADMIN):
        parts = urlsplit(location)
        assert status == 302 and parts.path == reverse("wagtailadmin_login"), f"{where}, {got}"
        assert parse_qs(parts.query).get("next") == [url], f"{where}: login must come back to the URL, {got}"
        has_error = NO_ADMIN_ERROR in messages_of(response)
        assert has_error == (outcome == NO_ADMIN), f"{where}: 'no admin access' message shown: {has_error}"
    elif outcome == SAVED:
        assert status == 302, f"{where}, {got}; form errors: {form_errors(response)}"
        if success_url is not None:
            assert location == success_url, f"{where}, {got}"
    else:  # pragma: no cover
        raise AssertionError(outcome)


def visible_sides(role):
    return {side for side, slug in SIDE_CENTRE.items() if slug in VISIBLE_CENTRES[role]}


# ---------------------------------------------------------------------------------------------
# Scope checks of what a 200 shows: index rows and exports
# ---------------------------------------------------------------------------------------------


def check_index_scope(response, world, role, model, url):
    listed = [obj.pk for obj in response.context["object_list"]]
    centres = set(MODELS[model].objects.filter(pk__in=listed).values_list(CENTRE_PATH[model], flat=True))
    assert centres <= set(VISIBLE_CENTRES[role]), f"{role} GET {url}: lists records of centres {centres}"
    body = response.content.decode()
    for side_name, side in world.sides.items():
        record = side.record(model)
        shown = side_name in visible_sides(role)
        assert (record.pk in listed) == shown, (
            f"{role} GET {url}: {side.label} {model} listed should be {shown}"
        )
        if model in ("trainee", "enrolment"):
            name = side.trainee.full_name
            assert (name in body) == shown, f"{role} GET {url}: {name!r} on the page should be {shown}"


def export_rows(response, fmt, *, role, url):
    assert response.status_code == 200, f"{role} GET {url}: expected 200, got {response.status_code}"
    if fmt == "csv":
        body = b"".join(response.streaming_content).decode("utf-8")
        assert body.startswith("\ufeff"), f"{role} GET {url}: the CSV must start with a UTF-8 BOM"
        return list(csv.DictReader(io.StringIO(body[1:]))), body
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [
        tuple("" if cell is None else str(cell) for cell in row)
        for row in workbook.active.iter_rows(values_only=True)
    ]
    header = rows[0]
    rows = [row + ("",) * (len(header) - len(row)) for row in rows[1:]]  # read-only mode trims empty cells
    return [dict(zip(header, row, strict=True)) for row in rows], "\n".join(",".join(row) for row in rows)


def code_in_cohort_label(label):
    return label.split(" · ")[1]  # "Course · LKO · 01 Jan 2026"


def check_export_scope(response, world, role, model, view, url):
    rows, body = export_rows(response, EXPORTS[view], role=role, url=url)
    codes = dict(Centre.objects.values_list("name", "code"))
    row_code = {
        "trainee": lambda row: codes[row["Home centre"]],
        "cohort": lambda row: codes[row["Centre"]],
        "enrolment": lambda row: code_in_cohort_label(row["Cohort"]),
        "cohortsession": lambda row: code_in_cohort_label(row["Cohort"]),
    }[model]
    row_marker = {
        "trainee": lambda row: row["Full name"],
        "cohort": lambda row: row["ID"],
        "enrolment": lambda row: row["ID"],
        "cohortsession": lambda row: row["Topic"],
    }[model]
    side_marker = {
        "trainee": lambda side: side.trainee.full_name,
        "cohort": lambda side: str(side.cohort.pk),
        "enrolment": lambda side: str(side.enrolment.pk),
        "cohortsession": lambda side: side.session.topic,
    }[model]
    allowed = set(Centre.objects.filter(slug__in=VISIBLE_CENTRES[role]).values_list("code", flat=True))
    exported = {row_code(row) for row in rows}
    assert exported <= allowed, f"{role} GET {url}: exports rows of centres {exported - allowed}"
    assert {"LKO", "PAT"} & allowed <= exported, f"{role} GET {url}: should export rows of {allowed}"
    markers = {row_marker(row) for row in rows}
    for side_name, side in world.sides.items():
        shown = side_name in visible_sides(role)
        assert (side_marker(side) in markers) == shown, (
            f"{role} GET {url}: {side.label} {model} exported should be {shown}"
        )
        if model in ("trainee", "enrolment"):
            name = side.trainee.full_name
            assert (name in body) == shown, f"{role} GET {url}: {name!r} in the export should be {shown}"


# ---------------------------------------------------------------------------------------------
# The matrix: role × model × view × (Lucknow record, Patna I record)
# ---------------------------------------------------------------------------------------------


def matrix_cases():
    for model in MODELS:
        for role in ROLES:
            for view in LIST_VIEWS:
                yield pytest.param(role, model, view, None, id=f"{role}-{model}-{view}")
            for view in RECORD_VIEWS:
                for side in (LUCKNOW, PATNA):
                    if role == "admin" and view == "delete_post":
                        continue  # the superuser's deletion is Wagtail's business, not the scope's
                    yield pytest.param(role, model, view, side, id=f"{role}-{model}-{view}-{side}")


@pytest.mark.parametrize(("role", "model", "view", "side"), list(matrix_cases()))
def test_permission_matrix(client, world, role, model, view, side):
    url = url_for(world, model, view, side)
    outcome = expected(role, view, side, model)
    login(client, world, role)
    index_url = reverse(f"skills_{model}:index")

    if view == "edit_post":
        record = world[side].record(model)
        field = CHANGED_FIELD[model]
        before = getattr(record, field)
        response = client.post(url, edit_data(model, record))
        assert_outcome(response, outcome, role=role, url=url, success_url=index_url)
        after = getattr(MODELS[model].objects.get(pk=record.pk), field)
        wanted = CHANGED if outcome == SAVED else before
        assert after == wanted, f"{role} POST {url}: {model}.{field} is {after!r}, expected {wanted!r}"

    elif view == "add_post":
        side_obj = world[OWN_SIDE.get(role, LUCKNOW)]
        assert not added(model, side_obj).exists()
        response = client.post(url, add_data(model, side_obj))
        assert_outcome(response, outcome, role=role, url=url, success_url=index_url)
        count = added(model, side_obj).count()
        wanted = 1 if outcome == SAVED else 0
        assert count == wanted, f"{role} POST {url}: {count} {model} records created, expected {wanted}"

    elif view == "delete_post":
        record = world[side].record(model)
        response = client.post(url)
        assert_outcome(response, outcome, role=role, url=url)
        kept = MODELS[model].objects.filter(pk=record.pk).exists()
        assert kept == (outcome != SAVED), (
            f"{role} POST {url}: the {model} was {'kept' if kept else 'deleted'}"
        )

    else:
        response = client.get(url)
        assert_outcome(response, outcome, role=role, url=url)
        if outcome == OK and view in ("index", "index_results"):
            check_index_scope(response, world, role, model, url)
        if outcome == OK and view in EXPORTS:
            check_export_scope(response, world, role, model, view, url)


def test_officer_and_admin_exports_cover_every_centre(client, world):
    for role in ("officer", "admin"):
        login(client, world, role)
        url = reverse("skills_trainee:index") + "?export=csv"
        rows, _body = export_rows(client.get(url), "csv", role=role, url=url)
        names = {row["Home centre"] for row in rows}
        every = set(Centre.objects.filter(slug__in=ALL_CENTRES).values_list("name", flat=True))
        assert names == every, f"{role} GET {url}: exports centres {names}, expected all of {every}"


# ---------------------------------------------------------------------------------------------
# Action views: bulk enrol, take attendance, attendance register, drop out, complete
# ---------------------------------------------------------------------------------------------

ACTIONS = {
    # action: (URL name, which record of the side it acts on)
    "bulk_enrol": ("skills_cohort:bulk_enrol", "cohort"),
    "take_attendance": ("skills_cohort:take_attendance", "cohort"),
    "attendance": ("skills_cohortsession:attendance", "session"),
    "drop_out": ("skills_enrolment:drop_out", "enrolment"),
    "complete": ("skills_enrolment:complete", "enrolment"),
}


def expected_action(role, action, method, side):
    if role == "anonymous":
        return LOGIN
    if role == "employer":
        return NO_ADMIN
    if role in ("officer", "editor"):
        return NOT_FOUND  # ActionView looks the record up in the scoped "change" queryset: empty
    if role != "admin" and side != OWN_SIDE[role]:
        return NOT_FOUND
    if method == "get":
        return DENIED if action == "take_attendance" else OK  # a register is opened by POST only
    return SAVED


def action_data(action, side):
    return {
        "bulk_enrol": {"trainees": [side.spare.pk], "enrolled_on": TODAY().isoformat()},
        "take_attendance": {"date": days(-20).isoformat()},
        "attendance": {"present": [side.enrolment.pk]},
        "drop_out": {"dropout_reason": "Matrix dropout", "dropped_on": TODAY().isoformat()},
        "complete": {
            "passed": "1",
            "assessment_result": "A",
            "completed_on": TODAY().isoformat(),
            "early_completion_reason": "Matrix early completion",
        },
    }[action]


def action_state(action, side):
    """What a POST of the action would change."""
    if action == "bulk_enrol":
        return (
            list(Enrolment.objects.filter(trainee=side.spare).values_list("cohort_id", flat=True)),
            Cohort.objects.get(pk=side.cohort.pk).seats_taken,
        )
    if action == "take_attendance":
        return sorted(CohortSession.objects.filter(cohort=side.cohort).values_list("date", flat=True))
    if action == "attendance":
        return sorted(
            AttendanceMark.objects.filter(session=side.session).values_list("enrolment_id", "present")
        )
    return Enrolment.objects.values_list("status", "dropped_on", "completed_on", "assessment_result").get(
        pk=side.enrolment.pk
    )


def action_done(action, side, before):
    """The state after a successful POST."""
    return {
        "bulk_enrol": lambda: ([side.cohort.pk], before[1] + 1),
        "take_attendance": lambda: before,  # opening a register creates no session (issue 11)
        "attendance": lambda: [(side.enrolment.pk, True)],
        "drop_out": lambda: (Enrolment.Status.DROPPED, TODAY(), None, ""),
        "complete": lambda: (Enrolment.Status.COMPLETED, None, TODAY(), "A"),
    }[action]()


def action_success_url(action, side):
    if action == "take_attendance":
        return reverse("skills_cohort:register", args=[side.cohort.pk, days(-20).isoformat()])
    return reverse("skills_cohort:inspect", args=[side.cohort.pk])


def action_cases():
    for role in ROLES:
        for action in ACTIONS:
            for method in ("get", "post"):
                for side in (LUCKNOW, PATNA):
                    yield pytest.param(role, action, method, side, id=f"{role}-{action}-{method}-{side}")


@pytest.mark.parametrize(("role", "action", "method", "side"), list(action_cases()))
def test_action_views(client, world, role, action, method, side):
    side_obj = world[side]
    url_name, attr = ACTIONS[action]
    url = reverse(url_name, args=[getattr(side_obj, attr).pk])
    outcome = expected_action(role, action, method, side)
    login(client, world, role)
    before = action_state(action, side_obj)

    if method == "get":
        response = client.get(url)
        assert_outcome(response, outcome, role=role, url=url)
    else:
        response = client.post(url, action_data(action, side_obj))
        success_url = (
            action_success_url(action, side_obj) if outcome == SAVED and response.status_code == 302 else None
        )
        assert_outcome(response, outcome, role=role, url=url, success_url=success_url)

    after = action_state(action, side_obj)
    wanted = action_done(action, side_obj, before) if outcome == SAVED else before
    assert after == wanted, f"{role} {method.upper()} {url}: state is {after!r}, expected {wanted!r}"


# ---------------------------------------------------------------------------------------------
# Choosers and forms offer only the user's centres, cohorts and trainees
# ---------------------------------------------------------------------------------------------


def scoped_choices(model, field, centres):
    return {
        ("trainee", "centre"): lambda: Centre.objects.filter(slug__in=centres),
        ("cohort", "centre"): lambda: Centre.objects.filter(slug__in=centres),
        ("enrolment", "trainee"): lambda: Trainee.objects.filter(centre__slug__in=centres),
        ("enrolment", "cohort"): lambda: Cohort.objects.filter(centre__slug__in=centres).open_for_enrolment(),
        ("cohortsession", "cohort"): lambda: Cohort.objects.filter(centre__slug__in=centres),
    }[model, field]()


FORM_CHOICE_CASES = [
    ("trainee", "add", "centre"),
    ("trainee", "edit", "centre"),
    ("cohort", "add", "centre"),
    ("cohort", "edit", "centre"),
    ("enrolment", "add", "trainee"),
    ("enrolment", "add", "cohort"),
    ("cohortsession", "add", "cohort"),
    ("cohortsession", "edit", "cohort"),
]


@pytest.mark.parametrize("role", ["coordinator", "coordinator.patna", "admin"])
@pytest.mark.parametrize(("model", "view", "field"), FORM_CHOICE_CASES)
def test_form_choices_are_the_users_centres(client, world, role, model, view, field):
    url = url_for(world, model, view, OWN_SIDE.get(role, LUCKNOW))
    login(client, world, role)
    response = client.get(url)
    assert response.status_code == 200, f"{role} GET {url}: expected 200, got {response.status_code}"
    offered = set(response.context["form"].fields[field].queryset.values_list("pk", flat=True))
    wanted = set(scoped_choices(model, field, VISIBLE_CENTRES[role]).values_list("pk", flat=True))
    assert offered == wanted, (
        f"{role} GET {url}: {field} offers {len(offered)} choices, expected {len(wanted)}"
    )
    for name, other in world.sides.items():
        choice = {"centre": other.centre, "trainee": other.spare, "cohort": other.cohort}[field]
        shown = name in visible_sides(role)
        assert (choice.pk in offered) == shown, (
            f"{role} GET {url}: {field} offering {other.label}'s {choice} should be {shown}"
        )


def test_index_filter_offers_only_the_users_centres(client, world):
    login(client, world, "coordinator")
    patna = world[PATNA].centre
    for model in ("trainee", "cohort", "enrolment"):
        url = reverse(f"skills_{model}:index") + f"?centre={patna.pk}"
        response = client.get(url)
        assert response.status_code == 200, f"coordinator GET {url}: expected 200, got {response.status_code}"
        offered = set(
            response.context["filters"].form.fields["centre"].queryset.values_list("slug", flat=True)
        )
        assert offered == {"lucknow"}, f"coordinator GET {url}: the centre filter offers {offered}"
        listed = [obj.pk for obj in response.context["object_list"]]
        centres = set(MODELS[model].objects.filter(pk__in=listed).values_list(CENTRE_PATH[model], flat=True))
        assert centres <= {"lucknow"}, f"coordinator GET {url}: filtering by Patna I lists {centres}"


# Posting the id of another centre's record is refused by the form, and nothing changes.
REJECTION_CASES = [
    # (id, model, view, field, data builder(world) -> POST data)
    (
        "trainee-add-centre",
        "trainee",
        "add",
        "centre",
        lambda w: add_data("trainee", w[LUCKNOW], centre=w[PATNA].centre.pk),
    ),
    (
        "cohort-add-centre",
        "cohort",
        "add",
        "centre",
        lambda w: add_data("cohort", w[LUCKNOW], centre=w[PATNA].centre.pk),
    ),
    (
        "enrolment-add-cohort",
        "enrolment",
        "add",
        "cohort",
        lambda w: add_data("enrolment", w[LUCKNOW], cohort=w[PATNA].cohort.pk),
    ),
    (
        "enrolment-add-trainee",
        "enrolment",
        "add",
        "trainee",
        lambda w: add_data("enrolment", w[LUCKNOW], trainee=w[PATNA].spare.pk),
    ),
    (
        "cohortsession-add-cohort",
        "cohortsession",
        "add",
        "cohort",
        lambda w: add_data("cohortsession", w[LUCKNOW], cohort=w[PATNA].cohort.pk),
    ),
    (
        "trainee-edit-centre",
        "trainee",
        "edit",
        "centre",
        lambda w: edit_data("trainee", w[LUCKNOW].trainee, centre=w[PATNA].centre.pk),
    ),
    (
        "cohort-edit-centre",
        "cohort",
        "edit",
        "centre",
        lambda w: edit_data("cohort", w[LUCKNOW].cohort, centre=w[PATNA].centre.pk),
    ),
    (
        "cohortsession-edit-cohort",
        "cohortsession",
        "edit",
        "cohort",
        lambda w: edit_data(
            "cohortsession", w[LUCKNOW].session, cohort=w[PATNA].cohort.pk, date=days(-12).isoformat()
        ),
    ),
]


def tracker_snapshot():
    """Everything a rejected POST could have touched."""
    return (
        Trainee.objects.count(),
        Cohort.objects.count(),
        Enrolment.objects.count(),
        CohortSession.objects.count(),
        sorted(
            Trainee.objects.filter(full_name__startswith="Matrix").values_list("pk", "centre_id", "district")
        ),
        sorted(
            Cohort.objects.filter(trainer__startswith="Matrix").values_list(
                "pk", "centre_id", "trainer", "seats_taken"
            )
        ),
        sorted(
            CohortSession.objects.filter(topic__startswith="Matrix").values_list("pk", "cohort_id", "topic")
        ),
    )


@pytest.mark.parametrize(
    ("model", "view", "field", "data"), [pytest.param(*case[1:], id=case[0]) for case in REJECTION_CASES]
)
def test_posting_another_centres_id_is_rejected(client, world, model, view, field, data):
    url = url_for(world, model, view, LUCKNOW)
    login(client, world, "coordinator")
    before = tracker_snapshot()
    response = client.post(url, data(world))
    assert response.status_code == 200, (
        f"coordinator POST {url} with a Patna {field}: expected the form again, got {response.status_code}"
    )
    errors = form_errors(response)
    assert field in errors, (
        f"coordinator POST {url} with a Patna {field}: expected an error on {field}, got {errors}"
    )
    assert tracker_snapshot() == before, f"coordinator POST {url} with a Patna {field}: the database changed"


def test_bulk_enrol_refuses_another_centres_trainee(client, world):
    lucknow, patna = world[LUCKNOW], world[PATNA]
    url = reverse("skills_cohort:bulk_enrol", args=[lucknow.cohort.pk])
    login(client, world, "coordinator")
    before = tracker_snapshot()
    response = client.post(url, {"trainees": [patna.spare.pk], "enrolled_on": TODAY().isoformat()})
    assert response.status_code == 200, (
        f"coordinator POST {url} with a Patna trainee: expected the form again"
    )
    assert "trainees" in form_errors(response), f"coordinator POST {url}: expected an error on trainees"
    assert tracker_snapshot() == before, f"coordinator POST {url} with a Patna trainee: the database changed"


def test_attendance_refuses_another_centres_enrolment(client, world):
    lucknow, patna = world[LUCKNOW], world[PATNA]
    url = reverse("skills_cohortsession:attendance", args=[lucknow.session.pk])
    login(client, world, "coordinator")
    response = client.post(url, {"present": [patna.enrolment.pk]})
    assert response.status_code == 302 and response["Location"] == url, (
        f"coordinator POST {url}: expected the register again"
    )
    assert "Some ticked trainees are not enrolled in this cohort." in messages_of(response)
    assert not AttendanceMark.objects.filter(session__in=[lucknow.session, patna.session]).exists(), (
        f"coordinator POST {url} with a Patna enrolment: attendance was recorded"
    )


# ---------------------------------------------------------------------------------------------
# The Training menu
# ---------------------------------------------------------------------------------------------


def sidebar_labels(response):
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the admin page has no sidebar"
    labels = []

    def walk(node):
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str):
            labels.append(node)

    walk(json.loads(match.group(1)))
    return labels


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("admin", True),
        ("coordinator", True),
        ("coordinator.patna", True),
        ("officer", True),
        ("editor", False),
    ],
)
def test_training_menu(client, world, role, shown):
    login(client, world, role)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200, f"{role} GET the admin home: expected 200, got {response.status_code}"
    in_sidebar = "Training" in sidebar_labels(response)
    assert in_sidebar == shown, f"{role}: the Training menu in the rendered sidebar should be {shown}"

    request = RequestFactory().get(reverse("wagtailadmin_home"))
    request.user = world.users[role]
    labels = [str(item.label) for item in admin_menu.menu_items_for_request(request)]
    assert ("Training" in labels) == shown, (
        f"{role}: the Training menu item is_shown should be {shown}, menu {labels}"
    )


def test_training_menu_is_the_group_of_tracker_viewsets():
    assert str(TrainingViewSetGroup.menu_label) == "Training"


@pytest.mark.parametrize("role", ["employer", "anonymous"])
def test_no_admin_home_for_employers_and_anonymous(client, world, role):
    login(client, world, role)
    url = reverse("wagtailadmin_home")
    response = client.get(url)
    assert_outcome(response, NO_ADMIN if role == "employer" else LOGIN, role=role, url=url)
    if role == "employer":
        assert not world.users["employer"].has_perm("wagtailadmin.access_admin"), (
            "employers must not have access_admin"
        )


# ---------------------------------------------------------------------------------------------
# The audit trail
# ---------------------------------------------------------------------------------------------


def log_entries(trainee, action, user=None):
    """The trainee's audit trail: Wagtail's log model for trainees (skills.TrackerLogEntry, a
    BaseLogEntry like wagtail.models.ModelLogEntry, which it replaced for the tracker)."""
    entries = log_registry.get_logs_for_instance(trainee).filter(action=action)
    return entries.filter(user=user) if user is not None else entries


@pytest.mark.parametrize(
    ("role", "view", "side"),
    [
        ("coordinator", "inspect", LUCKNOW),
        ("coordinator", "edit", LUCKNOW),
        ("coordinator.patna", "inspect", PATNA),
        ("coordinator.patna", "edit", PATNA),
        ("officer", "inspect", LUCKNOW),
        ("officer", "inspect", PATNA),
        ("admin", "inspect", PATNA),
    ],
)
def test_viewing_a_trainee_is_logged(client, world, role, view, side):
    trainee = world[side].trainee
    url = url_for(world, "trainee", view, side)
    login(client, world, role)
    response = client.get(url)
    assert response.status_code == 200, f"{role} GET {url}: expected 200, got {response.status_code}"
    count = log_entries(trainee, "sakhi.view", world.users[role]).count()
    assert count == 1, f"{role} GET {url}: {count} 'sakhi.view' log entries for {trainee}, expected 1"


@pytest.mark.parametrize("view", ["inspect", "edit"])
def test_a_refused_view_is_not_a_view(client, world, view):
    trainee = world[PATNA].trainee
    url = url_for(world, "trainee", view, PATNA)
    login(client, world, "coordinator")
    assert client.get(url).status_code == 404, f"coordinator GET {url}: expected 404"
    assert not log_entries(trainee, "sakhi.view").exists(), (
        f"coordinator GET {url}: a refused read was logged as a view"
    )


def test_an_edit_is_logged(client, world):
    trainee, user = world[LUCKNOW].trainee, world.users["coordinator"]
    url = url_for(world, "trainee", "edit", LUCKNOW)
    login(client, world, "coordinator")
    response = client.post(url, edit_data("trainee", trainee))
    assert_outcome(response, SAVED, role="coordinator", url=url, success_url=reverse("skills_trainee:index"))
    assert log_entries(trainee, "wagtail.edit", user).count() == 1, (
        f"coordinator POST {url}: no 'wagtail.edit' entry"
    )
    assert not log_entries(trainee, "sakhi.consent").exists(), (
        f"coordinator POST {url}: consent unchanged, yet logged"
    )


def test_a_consent_change_is_logged_and_stamped(client, world):
    trainee, user = world[LUCKNOW].trainee, world.users["coordinator"]
    url = url_for(world, "trainee", "edit", LUCKNOW)
    login(client, world, "coordinator")

    started = timezone.now()
    data = edit_data("trainee", trainee, consent_share_with_employers="on", consent_follow_up="on")
    assert_outcome(client.post(url, data), SAVED, role="coordinator", url=url)
    trainee.refresh_from_db()
    assert trainee.consent_share_with_employers and trainee.consent_follow_up, (
        f"coordinator POST {url}: consent not saved"
    )
    for prefix in ("consent_share", "consent_follow_up"):
        stamped_at, stamped_by = (
            getattr(trainee, f"{prefix}_recorded_at"),
            getattr(trainee, f"{prefix}_recorded_by"),
        )
        assert stamped_at is not None and stamped_at >= started, f"{prefix}_recorded_at is {stamped_at}"
        assert stamped_by == user, f"{prefix}_recorded_by is {stamped_by}, expected the coordinator"
    assert log_entries(trainee, "sakhi.consent", user).count() == 1, (
        f"coordinator POST {url}: no 'sakhi.consent' entry"
    )

    # Withdrawal is stamped and logged too.
    withdrawn = timezone.now()
    data = edit_data("trainee", trainee, consent_follow_up="on")  # sharing with employers withdrawn
    assert_outcome(client.post(url, data), SAVED, role="coordinator", url=url)
    trainee.refresh_from_db()
    assert not trainee.consent_share_with_employers and trainee.consent_follow_up
    assert trainee.consent_share_recorded_at >= withdrawn and trainee.consent_share_recorded_by == user
    assert trainee.consent_follow_up_recorded_at < withdrawn, "an unchanged consent must keep its stamp"
    assert log_entries(trainee, "sakhi.consent", user).count() == 2, (
        f"coordinator POST {url}: withdrawal not logged"
    )


def test_consent_cannot_be_changed_by_an_officer_or_another_centre(client, world):
    trainee = world[LUCKNOW].trainee
    url = url_for(world, "trainee", "edit", LUCKNOW)
    data = edit_data("trainee", trainee, consent_share_with_employers="on", consent_follow_up="on")
    for role, outcome in (("officer", DENIED), ("coordinator.patna", NOT_FOUND)):
        login(client, world, role)
        assert_outcome(client.post(url, data), outcome, role=role, url=url)
        trainee.refresh_from_db()
        assert not trainee.consent_share_with_employers and not trainee.consent_follow_up, (
            f"{role} POST {url}: consent changed"
        )
        assert trainee.consent_share_recorded_at is None and trainee.consent_follow_up_recorded_at is None
        assert not log_entries(trainee, "sakhi.consent").exists(), (
            f"{role} POST {url}: a consent change was logged"
        )


# ---------------------------------------------------------------------------------------------
# Trainee privacy
# ---------------------------------------------------------------------------------------------

CONSENT_FIELDS = ("consent_share_with_employers", "consent_follow_up")


def test_new_trainee_form_has_consent_unchecked(client, world):
    url = reverse("skills_trainee:add")
    login(client, world, "coordinator")
    response = client.get(url)
    assert response.status_code == 200, f"coordinator GET {url}: expected 200, got {response.status_code}"
    form, body = response.context["form"], response.content.decode()
    for name in CONSENT_FIELDS:
        assert form[name].value() is False, f"coordinator GET {url}: {name} starts as {form[name].value()!r}"
        checkbox = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert checkbox and "checked" not in checkbox.group(0), (
            f"coordinator GET {url}: {name} is rendered checked"
        )


def test_new_trainee_saved_without_consent_has_none(client, world):
    url = reverse("skills_trainee:add")
    login(client, world, "coordinator")
    assert_outcome(client.post(url, add_data("trainee", world[LUCKNOW])), SAVED, role="coordinator", url=url)
    trainee = Trainee.objects.get(full_name=ADDED_TRAINEE)
    assert not trainee.consent_share_with_employers and not trainee.consent_follow_up
    assert trainee.consent_share_recorded_at is None and trainee.consent_follow_up_recorded_at is None
    assert log_entries(trainee, "wagtail.create", world.users["coordinator"]).count() == 1


def test_a_minor_needs_a_guardian_consent_basis(client, world):
    url = reverse("skills_trainee:add")
    login(client, world, "coordinator")
    sixteen = TODAY().replace(year=TODAY().year - 16) - datetime.timedelta(days=30)
    response = client.post(url, add_data("trainee", world[LUCKNOW], date_of_birth=sixteen.isoformat()))
    assert response.status_code == 200, f"coordinator POST {url} for a minor: expected the form again"
    assert "guardian_consent_basis" in form_errors(response), (
        f"expected an error on guardian_consent_basis, got {form_errors(response)}"
    )
    assert not Trainee.objects.filter(full_name=ADDED_TRAINEE).exists(), (
        "a minor was saved without a guardian consent basis"
    )

    data = add_data(
        "trainee",
        world[LUCKNOW],
        date_of_birth=sixteen.isoformat(),
        guardian_consent_basis="Her mother, in person",
    )
    assert_outcome(client.post(url, data), SAVED, role="coordinator", url=url)
    assert Trainee.objects.filter(full_name=ADDED_TRAINEE).exists()


def test_phone_numbers_are_neither_searched_listed_nor_exported(client, world):
    from skills.admin import TraineeViewSet

    viewset = TraineeViewSet("skills_trainee")
    for attribute in ("search_fields", "list_display", "list_export", "inspect_view_fields"):
        assert "phone" not in getattr(viewset, attribute), f"TraineeViewSet.{attribute} includes the phone"

    login(client, world, "coordinator")
    phone = world[LUCKNOW].trainee.phone
    url = reverse("skills_trainee:index") + f"?q={phone}"
    response = client.get(url)
    assert response.status_code == 200 and not list(response.context["object_list"]), (
        f"coordinator GET {url}: found by phone"
    )
    for url in (url_for(world, "trainee", "export_csv"), url_for(world, "trainee", "inspect", LUCKNOW)):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert phone.encode() not in body, f"coordinator GET {url}: shows the phone number"


# ---------------------------------------------------------------------------------------------
# Other doors to the data
# ---------------------------------------------------------------------------------------------


def site_history(client, url):
    response = client.get(url)
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    return response, body


@pytest.mark.parametrize(
    ("role", "sees_entry"),
    [
        ("coordinator", False),
        ("editor", False),
        ("coordinator.patna", True),
        ("officer", True),
        ("admin", True),
    ],
)
@pytest.mark.parametrize("export", ["", "?export=csv"])
def test_site_history_report_is_scoped_and_names_no_trainee(client, world, role, sees_entry, export):
    """Reports > Site history lists log entries with their object's label; it is one more door
    to the audit trail, so its entries must follow the centre scope and never carry a name."""
    patna_trainee = world[PATNA].trainee
    login(client, world, "coordinator.patna")
    assert client.get(url_for(world, "trainee", "inspect", PATNA)).status_code == 200
    entry = log_entries(patna_trainee, "sakhi.view").get()

    login(client, world, role)
    url = reverse("wagtailadmin_reports:site_history") + export
    response, body = site_history(client, url)
    assert response.status_code == 200, f"{role} GET {url}: expected 200, got {response.status_code}"
    assert patna_trainee.full_name not in body, (
        f"{role} GET {url}: names the trainee {patna_trainee.full_name!r}"
    )
    assert (entry.label in body) == sees_entry, (
        f"{role} GET {url}: the Patna entry {entry.label!r} shown should be {sees_entry}"
    )


@pytest.mark.parametrize(
    ("role", "centres"),
    [
        ("admin", ALL_CENTRES),
        ("officer", ALL_CENTRES),
        ("coordinator", ("lucknow",)),
        ("coordinator.patna", ("patna-1", "patna-2")),
    ],
)
def test_centre_list_is_scoped(client, world, role, centres):
    login(client, world, role)
    url = reverse("skills_centre:index")
    response = client.get(url)
    assert response.status_code == 200, f"{role} GET {url}: expected 200, got {response.status_code}"
    listed = {centre.slug for centre in response.context["object_list"]}
    assert listed == set(centres), f"{role} GET {url}: lists {listed}"


@pytest.mark.parametrize(
    ("role", "view", "side", "outcome"),
    [
        ("coordinator", "inspect", LUCKNOW, OK),
        ("coordinator", "inspect", PATNA, NOT_FOUND),
        ("coordinator", "edit", LUCKNOW, DENIED),  # only superusers change centres
        ("officer", "inspect", PATNA, OK),
        ("officer", "edit", PATNA, DENIED),
        ("editor", "index", None, DENIED),
        ("editor", "inspect", LUCKNOW, NOT_FOUND),
        ("employer", "index", None, NO_ADMIN),
        ("anonymous", "index", None, LOGIN),
    ],
)
def test_centre_views(client, world, role, view, side, outcome):
    if side is None:
        url = reverse(f"skills_centre:{view}")
    else:
        url = reverse(f"skills_centre:{view}", args=[world[side].centre.pk])
    login(client, world, role)
    assert_outcome(client.get(url), outcome, role=role, url=url)


@pytest.mark.parametrize("model", ["course", "trade"])
@pytest.mark.parametrize(
    ("role", "outcome"),
    [("coordinator", OK), ("officer", OK), ("editor", DENIED), ("employer", NO_ADMIN), ("anonymous", LOGIN)],
)
def test_shared_catalogue_lists(client, world, model, role, outcome):
    url = reverse(f"skills_{model}:index")
    login(client, world, role)
    assert_outcome(client.get(url), outcome, role=role, url=url)


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("coordinator", OK),
        ("coordinator.patna", OK),
        ("admin", OK),
        ("officer", DENIED),
        ("editor", DENIED),
        ("employer", NO_ADMIN),
        ("anonymous", LOGIN),
    ],
)
def test_import_is_for_those_who_change_records(client, world, role, outcome):
    url = reverse("skills_import")
    login(client, world, role)
    assert_outcome(client.get(url), outcome, role=role, url=url)
