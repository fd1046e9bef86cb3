"""Issue J, item 3 (imports) on the production topology: a coordinator uploads a file of more rows
than SAKHI_IMPORT_TASK_ROWS to one app server; the task worker imports it while she follows its
progress page on either app server (they keep nothing of their own); the result is every row, or
nothing at all."""

import datetime
import json
import re
import time

import pytest

from tests.import_files import csv_bytes

from .people import log_in_coordinator
from .topology import ProxiedSession

pytestmark = pytest.mark.production

ROWS = 320  # over production's SAKHI_IMPORT_TASK_ROWS (300): the worker's to import
FINISHED = 'data-finished="true"'
YEARS = {"A": 2017, "B": 2018, "C": 2019}

# A centre of its own, so that its imports move no figure the other production tests read, and a
# coordinator of it who logs in once (an authenticator code is good once).
IMPORT_CENTRE = """
import json
from skills.models import Course
from tests.factories import CentreFactory
from tests.production.seed import coordinator
centre = CentreFactory(slug="importpur", code="IMP", district="Importpur", state="Uttar Pradesh")
course = Course.objects.filter(trade__slug="tailoring").order_by("pk").first()
print(json.dumps({"coordinator": coordinator("importpur", centre), "course": course.title}))
"""


def wait_for(condition, timeout, interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture(scope="module")
def importer(topology):
    """The coordinator of Importpur, logged in on app server A, and the course her file names."""
    made = json.loads(topology.manage("shell", "-c", IMPORT_CENTRE).stdout.strip().splitlines()[-1])
    account = made["coordinator"]
    session = log_in_coordinator(
        ProxiedSession("198.51.100.81"),
        topology.app_urls[0],
        account["username"],
        topology.seeded["password"],
        account["totp_key"],
    )
    return session, made["course"]


def completer(course, register_number, full_name, born, year):
    """A row of a woman of Importpur who completed the tailoring cohort of that year."""
    return [
        "importpur",
        register_number,
        full_name,
        born,
        "tailoring",
        course,
        f"{year}-01-07",
        f"{year}-04-05",
        "completed",
        f"{year}-04-05",
    ]


def records(course, batch, count, *, bad_line=None):
    """A file of `count` women, each batch of a cohort of its own (an imported cohort has as many
    seats as its file has rows); the row on `bad_line` (the header is line 1) has a date of birth
    that is no date."""
    return csv_bytes(
        completer(
            course,
            f"IMP/{batch}/{n:04d}",
            f"Kamla {batch} {n}",
            "1990-02-31"
            if n + 2 == bad_line
            else (datetime.date(1988, 1, 1) + datetime.timedelta(days=n)).isoformat(),
            YEARS[batch],
        )
        for n in range(count)
    )


def trainees_of_batch(topology, batch):
    return topology.sql(
        "SELECT COUNT(*) FROM skills_trainee WHERE register_number LIKE %s", [f"IMP/{batch}/%"]
    )[0][0]


def preview(session, server, name, data):
    return session.post(
        f"{server}/admin/skills/import/",
        data={"csrfmiddlewaretoken": session.cookies.get("csrftoken")},
        files={"file": (name, data, "text/csv")},
    )


def confirm(session, server):
    return session.post(
        f"{server}/admin/skills/import/confirm/",
        data={"csrfmiddlewaretoken": session.cookies.get("csrftoken")},
    )


def upload_to_the_worker(session, server, name, data):
    """Upload, preview, confirm: the path of the job's progress page."""
    previewed = preview(session, server, name, data)
    assert previewed.status_code == 200, previewed.text[:2000]
    assert f"The file has {ROWS} rows and no problems" in previewed.text
    confirmed = confirm(session, server)
    assert confirmed.status_code == 302, confirmed.text[:2000]
    found = re.fullmatch(r"/admin/skills/import/jobs/(\d+)/", confirmed.headers["Location"])
    assert found, confirmed.headers["Location"]
    return found.group(0)


def job_id(path):
    return int(path.rstrip("/").rsplit("/", 1)[1])


class WorkerHeld:
    """The worker stopped while a job is queued, so that its page is seen before the work starts;
    started again on leaving, whatever happened."""

    def __init__(self, topology):
        self.topology = topology

    def __enter__(self):
        # Stopped idle: a task it was running would never run again (django-tasks-db runs a task once).
        assert wait_for(lambda: not self.topology.queued_tasks(), timeout=120), "the worker is busy"
        self.topology.kill_worker()
        return self

    def __exit__(self, *exc_info):
        self.topology.start_worker()


def finished_page(session, url):
    return wait_for(lambda: FINISHED in (answer := session.get(url)).text and answer, timeout=180)


def test_a_large_import_is_done_by_the_worker_and_followed_on_either_app_server(topology, importer):
    session, course = importer
    server_a, server_b = topology.app_urls

    with WorkerHeld(topology):
        job = upload_to_the_worker(session, server_a, "importpur-a.csv", records(course, "A", ROWS))
        for server in (server_a, server_b):
            waiting = session.get(server + job)
            assert waiting.status_code == 200
            assert "Waiting to start" in waiting.text and 'data-finished="false"' in waiting.text
            assert f"The file has {ROWS} rows." in waiting.text
        assert trainees_of_batch(topology, "A") == 0
        ((upload,),) = topology.sql("SELECT upload FROM skills_importjob WHERE id = %s", [job_id(job)])
        assert upload in topology.bucket_keys()

    done = finished_page(session, server_b + job)

    assert done, topology.sql("SELECT status, attempts, error FROM skills_importjob")
    assert (
        f"Imported importpur-a.csv. Rows: {ROWS}. Created: trainees {ROWS}, cohorts 1, enrolments {ROWS}."
        in done.text
    )
    assert FINISHED in session.get(server_a + job).text
    assert trainees_of_batch(topology, "A") == ROWS
    assert topology.sql(
        "SELECT COUNT(*) FROM skills_enrolment enrolment JOIN skills_trainee trainee "
        "ON trainee.id = enrolment.trainee_id WHERE trainee.register_number LIKE 'IMP/A/%%' "
        "AND enrolment.status = 'completed'"
    ) == [(ROWS,)]
    # The uploaded file, which names every woman, waited in the private bucket; the worker deletes
    # it once the import is committed (until then a second run needs it).
    assert wait_for(lambda: upload not in topology.bucket_keys(), timeout=30)


def test_a_large_file_with_one_bad_row_offers_no_import_and_creates_nothing(topology, importer):
    session, course = importer
    server_a, _server_b = topology.app_urls
    jobs_before = topology.sql("SELECT COUNT(*) FROM skills_importjob")

    previewed = preview(session, server_a, "importpur-b.csv", records(course, "B", ROWS, bad_line=250))

    assert previewed.status_code == 200
    assert "1 problem was found, so nothing can be imported" in previewed.text
    assert "Confirm and import" not in previewed.text
    assert confirm(session, server_a).headers["Location"] == "/admin/skills/import/"  # nothing to confirm
    assert topology.sql("SELECT COUNT(*) FROM skills_importjob") == jobs_before
    assert trainees_of_batch(topology, "B") == 0


def test_a_row_that_became_wrong_before_the_worker_ran_makes_the_worker_import_nothing(topology, importer):
    session, course = importer
    server_a, server_b = topology.app_urls

    with WorkerHeld(topology):
        job = upload_to_the_worker(session, server_a, "importpur-c.csv", records(course, "C", ROWS))
        # Meanwhile a colleague's small import (done within the request) gives line 200's register
        # number to another woman.
        other = csv_bytes([completer(course, "IMP/C/0198", "Another Woman", "1975-06-01", 2016)])
        assert "no problems" in preview(session, server_b, "colleague.csv", other).text
        assert confirm(session, server_b).headers["Location"] == "/admin/skills_trainee/"
        assert trainees_of_batch(topology, "C") == 1

    done = finished_page(session, server_b + job)

    assert done, topology.sql("SELECT status, attempts, error FROM skills_importjob")
    assert "1 problem was found, so nothing was imported" in done.text
    assert "&quot;IMP/C/0198&quot; at importpur already belongs to another woman" in done.text
    assert "Check a corrected file" in done.text
    assert trainees_of_batch(topology, "C") == 1  # the colleague's woman only: none of the 320
    assert topology.sql("SELECT status FROM skills_importjob WHERE id = %s", [job_id(job)]) == [("failed",)]
