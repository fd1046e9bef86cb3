"""Issue J, item 3 in a real Chromium: the pages of the background jobs. A coordinator starts a
cohort's certificates, or imports a large file; the request only queues the work, as production's
worker queue does, and her page follows the job (skills/job-progress.js) until it shows the result.
The tests are the worker: they run the queue (`manage.py db_worker --batch`) while she watches.
The same pages on a 390 px phone."""

import contextlib
import datetime
import re
import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.core.test_mail_tasks import DURABLE, run_worker, worker_in_this_process  # noqa: F401
from tests.import_files import completers_of_2018, csv_bytes

from . import builders
from .test_small_screens_and_exit import LAYOUT_PROBLEMS, PHONE

pytestmark = pytest.mark.browser

ISSUE_ALL = "Issue certificates to every eligible trainee"
CERTIFICATE_JOB = re.compile(r"/admin/skills/certificate-jobs/(\d+)/$")
IMPORT_JOB = re.compile(r"/admin/skills/import/jobs/(\d+)/$")
IMPORT_ROWS = 8


POLL_MS = 3000  # how often skills/job-progress.js asks for the job's page again


@pytest.fixture
def worker(settings, coordinator_page):
    """Tasks queued in the database, as production queues them; the returned function is the worker
    and runs every task queued so far. The coordinator's page then polls at once: its clock is
    Playwright's, moved on by one polling interval rather than waited out."""
    settings.TASKS = DURABLE
    coordinator_page.clock.install()

    def run():
        run_worker()
        coordinator_page.clock.fast_forward(POLL_MS)

    return run


@pytest.fixture
def cohort(site_url):
    return builders.cohort_to_certify()


def job_status(page):
    return page.locator("[data-job-progress]")


def start_certificates(page, site_url, cohort):
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    page.get_by_role("button", name=ISSUE_ALL).click()
    return on_the_job_page(page)


def on_the_job_page(page):
    """The certificate job whose page she is shown."""
    expect(page).to_have_url(CERTIFICATE_JOB)
    expect(page.get_by_role("link", name="Back to the cohort")).to_be_visible()  # on every job page
    return int(CERTIFICATE_JOB.search(page.url).group(1))


def serials_by_year(centre):
    from skills.models import Certificate

    years = {}
    for year, serial in Certificate.objects.filter(centre=centre).values_list("year", "serial"):
        years.setdefault(year, []).append(serial)
    return {year: sorted(serials) for year, serials in years.items()}


def test_a_cohorts_certificates_made_by_the_worker_while_her_page_follows_then_the_pdf(
    coordinator_page, site_url, cohort, worker
):
    from skills.models import Certificate, CertificateJob

    page = coordinator_page
    job = start_certificates(page, site_url, cohort)

    expect(job_status(page)).to_contain_text("Waiting to start")
    expect(page.get_by_label("0 of 5 done")).to_be_visible()
    assert not Certificate.objects.filter(enrolment__cohort=cohort).exists()

    worker()

    # The page sees the job finish by itself, and shows the result.
    expect(page.get_by_role("heading", name="4 certificates issued")).to_be_visible()
    assert page.url.endswith(f"/admin/skills/certificate-jobs/{job}/")
    issued = page.locator("main li", has=page.locator("a[href*='/admin/skills_certificate/inspect/']"))
    assert sorted(text.split(": ", 1)[1] for text in issued.all_inner_texts()) == sorted(builders.TO_CERTIFY)
    expect(page.get_by_role("heading", name="1 enrolment not issued")).to_be_visible()
    left = page.get_by_role("row", name=re.compile(builders.LEFT_EARLY))
    expect(left).to_contain_text("Dropped out")
    expect(left).to_contain_text("not completed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all as one PDF for printing").click()
    download = download_info.value
    assert download.suggested_filename == f"certificates-LKO-{cohort.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    printed = CertificateJob.objects.get(pk=job).certificates_in_file
    assert sorted(printed) == sorted(
        Certificate.objects.filter(enrolment__cohort=cohort).values_list("pk", flat=True)
    )
    assert len(printed) == 4


@pytest.fixture
def requests_held_in_pairs(monkeypatch):
    """Each request to issue a cohort's certificates held at the view's door until a second one
    comes, then both let in at once: a double-click's two requests meet at the cohort's lock
    however quickly the server would have answered the first. Returns the jobs the requests were
    answered with, in the order they were answered."""
    from skills import tasks

    start_job = tasks.start_certificate_job
    pair = threading.Barrier(2, timeout=30)
    answered = []

    def held(cohort, user):
        with contextlib.suppress(threading.BrokenBarrierError):
            pair.wait()  # a request alone goes on after the timeout: the test waits for two
        job = start_job(cohort, user)
        answered.append(job.pk)
        return job

    monkeypatch.setattr(tasks, "start_certificate_job", held)
    return answered


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    # The live server's threads share one in-memory SQLite connection, so two requests' transactions
    # interleave on it: nothing there can hold the cohort's row for one click (it failed 1 run in 2).
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
def test_a_double_click_on_issue_makes_one_job_and_numbers_with_no_gap_or_twin(
    coordinator_page, site_url, cohort, worker, requests_held_in_pairs
):
    from skills.models import CertificateJob

    page = coordinator_page
    issue_url = f"{site_url}/admin/skills_cohort/{cohort.pk}/certificates/"
    before = serials_by_year(cohort.centre)
    page.goto(f"{site_url}/admin/skills_cohort/inspect/{cohort.pk}/")
    box = page.get_by_role("button", name=ISSUE_ALL).bounding_box()

    # A double-click as it lands when the server is slow: the second click on the page still shown
    # while the first click's request is on its way. Chromium sends the form again, and drops the
    # first request's answer. (Two clicks that both land before the form has left, as Playwright's
    # dblclick() lands them, are folded into one request.) Clicks of the mouse, as a locator's
    # click() waits for the navigation it starts, which the held request keeps from finishing.
    for _click in range(2):
        with page.expect_request(lambda request: request.method == "POST" and request.url == issue_url):
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    job = on_the_job_page(page)

    # Both requests reached the view at once and were answered with the one job, whose page the
    # second answer shows her.
    assert requests_held_in_pairs == [job, job]
    assert CertificateJob.objects.filter(cohort=cohort).count() == 1
    worker()
    expect(page.get_by_role("heading", name="4 certificates issued")).to_be_visible()
    assert CertificateJob.objects.filter(cohort=cohort).count() == 1
    after = serials_by_year(cohort.centre)
    assert sum(map(len, after.values())) == sum(map(len, before.values())) + 4
    for serials in after.values():
        assert serials == list(range(1, len(serials) + 1))


def import_file(rows, name="lucknow-2018.csv"):
    return {"name": name, "mimeType": "text/csv", "buffer": csv_bytes(rows)}


def women_of_2018(count, batch="A"):
    """Rows of women of Lucknow who completed a tailoring cohort in 2018."""
    from skills.models import Course

    course = Course.objects.filter(trade__slug="tailoring").order_by("pk").first()
    return completers_of_2018("lucknow", "LKO", course.title, count, batch)


def upload_for_the_worker(page, site_url, settings, rows, name="lucknow-2018.csv"):
    """Upload, check and confirm a file over the threshold: on its job's page."""
    settings.SAKHI_IMPORT_TASK_ROWS = IMPORT_ROWS - 3
    page.goto(f"{site_url}/admin/skills/import/")
    page.get_by_label("CSV file").set_input_files(import_file(rows, name))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text(f"The file has {len(rows)} rows and no problems")).to_be_visible()
    page.get_by_role("button", name="Confirm and import").click()
    page.wait_for_url(IMPORT_JOB)


def imported(batch):
    from skills.models import Enrolment, Trainee

    return (
        Trainee.objects.filter(register_number__startswith=f"LKO/2018/{batch}").count(),
        Enrolment.objects.filter(trainee__register_number__startswith=f"LKO/2018/{batch}").count(),
    )


def test_a_large_import_shows_its_progress_page_then_its_result(coordinator_page, site_url, settings, worker):
    page = coordinator_page
    upload_for_the_worker(page, site_url, settings, women_of_2018(IMPORT_ROWS))

    expect(job_status(page)).to_contain_text("Waiting to start")
    expect(page.get_by_text(f"The file has {IMPORT_ROWS} rows. It is imported all at once")).to_be_visible()
    assert imported("A") == (0, 0)

    worker()

    expect(job_status(page)).to_contain_text(
        f"Imported lucknow-2018.csv. Rows: {IMPORT_ROWS}. Created: trainees {IMPORT_ROWS}, cohorts 1, "
        f"enrolments {IMPORT_ROWS}."
    )
    assert imported("A") == (IMPORT_ROWS, IMPORT_ROWS)
    page.get_by_role("link", name="Trainees", exact=True).last.click()
    page.wait_for_url("**/admin/skills_trainee/")


def another_woman_takes_the_register_number_of(row):
    from skills.models import Centre
    from tests.factories import TraineeFactory

    TraineeFactory(
        centre=Centre.objects.get(slug="lucknow"),
        full_name="Another Woman",
        register_number=row[1],
        date_of_birth=datetime.date(1975, 6, 1),
    )


def test_an_import_that_fails_in_the_worker_lists_its_problems_and_imports_nothing(
    coordinator_page, site_url, settings, worker
):
    page = coordinator_page
    rows = women_of_2018(IMPORT_ROWS, batch="B")
    upload_for_the_worker(page, site_url, settings, rows)
    another_woman_takes_the_register_number_of(rows[5])  # before the worker reaches the file

    worker()

    expect(page.get_by_role("alert")).to_contain_text("1 problem was found, so nothing was imported")
    problem = page.locator("tr", has_text="LKO/2018/B005")
    expect(problem.locator("td")).to_have_text(
        ["7", "register_number", re.compile("already belongs to another woman")]
    )
    assert imported("B") == (1, 0)  # Another Woman only
    expect(page.get_by_role("button", name="Check the file")).to_be_visible()


# Item 11's phone, on the job pages: nothing wider than the screen, every link and button in reach.


@pytest.fixture
def phone_coordinator(coordinator_page):
    coordinator_page.set_viewport_size(PHONE)
    return coordinator_page


def test_the_certificate_job_page_fits_a_phone_while_it_waits_and_when_done(
    phone_coordinator, site_url, cohort, worker
):
    page = phone_coordinator
    start_certificates(page, site_url, cohort)
    expect(job_status(page)).to_contain_text("Waiting to start")
    assert page.evaluate(LAYOUT_PROBLEMS) == []

    worker()

    expect(page.get_by_role("heading", name="4 certificates issued")).to_be_visible()
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    expect(page.get_by_role("link", name="Download all as one PDF for printing")).to_be_in_viewport(ratio=0)
    page.get_by_role("link", name="Download a zip of single PDFs").scroll_into_view_if_needed()
    expect(page.get_by_role("link", name="Download a zip of single PDFs")).to_be_in_viewport()


def test_the_import_job_pages_fit_a_phone_waiting_done_and_failed(
    phone_coordinator, site_url, settings, worker
):
    page = phone_coordinator
    upload_for_the_worker(page, site_url, settings, women_of_2018(IMPORT_ROWS))
    expect(job_status(page)).to_contain_text("Waiting to start")
    assert page.evaluate(LAYOUT_PROBLEMS) == [], "waiting"
    worker()
    expect(job_status(page)).to_contain_text("Imported lucknow-2018.csv")
    assert page.evaluate(LAYOUT_PROBLEMS) == [], "done"

    rows = women_of_2018(IMPORT_ROWS, batch="B")
    upload_for_the_worker(page, site_url, settings, rows, name="lucknow-2018-more.csv")
    another_woman_takes_the_register_number_of(rows[5])
    worker()
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    assert page.evaluate(LAYOUT_PROBLEMS) == [], "failed"
    button = page.get_by_role("button", name="Check the file")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport()
