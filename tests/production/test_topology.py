"""Issue J, item 6: what the production set-up promises, proved over HTTP against two gunicorn app
servers on production settings, one Redis, an S3 API server, an SMTP sink, a task worker and
PostgreSQL (tests/production/topology.py)."""

import datetime
import json
import re
import threading
import time
import uuid

import pytest
import requests
from django.core import signing

from placements.portal_forms import STARTED_SALT
from website.views import VERIFY_LIMIT, VERIFY_WINDOW

from .people import log_in_coordinator, log_in_employer, public_figure, record_placement
from .topology import NEUTRAL_HOST, ProxiedSession

pytestmark = pytest.mark.production

IN_PAYING_WORK = "Of them, in paying work on"


def wait_for(condition, timeout, interval=0.2):
    """The condition's first true value within the time, else its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def start_of_a_rate_limit_window(room=40):
    """The limits count in fixed windows: start the guesses early in one, so that they all fall in it."""
    if time.time() % VERIFY_WINDOW > VERIFY_WINDOW - room:
        time.sleep(VERIFY_WINDOW - time.time() % VERIFY_WINDOW + 0.5)


# a. The certificate-check limit is one count for every app server


def test_the_certificate_check_limit_holds_across_both_app_servers(topology):
    guesser = ProxiedSession("203.0.113.50", host=NEUTRAL_HOST)
    start_of_a_rate_limit_window()

    answers = [
        guesser.get(f"{topology.app_urls[guess % 2]}/certificates/verify/NOTACODE{guess:03d}/").status_code
        for guess in range(100)
    ]

    assert set(answers) <= {200, 429}
    assert answers.count(200) == VERIFY_LIMIT  # at most 20, and no fewer: the limit refuses only past it
    # Both servers refused: each counted the other's answers.
    assert 429 in answers[0::2] and 429 in answers[1::2]


# b. A change saved through one app server is what the other serves next


def test_a_placement_recorded_through_one_server_moves_the_figures_the_other_serves(topology, visitor):
    server_a, server_b = topology.app_urls
    people = topology.seeded
    coordinator = people["coordinators"][0]
    session = log_in_coordinator(
        ProxiedSession("198.51.100.31"),
        server_a,
        coordinator["username"],
        people["password"],
        coordinator["totp_key"],
    )
    visitor.get(server_b + "/")  # server B has the figures cached
    before = public_figure(visitor.get(server_b + "/").text, IN_PAYING_WORK)

    saved = record_placement(
        session,
        server_a,
        people["unplaced"][0],
        job_title="Tailor",
        monthly_pay=11000,
        started_on=datetime.date.today() - datetime.timedelta(days=7),
    )

    assert saved.status_code == 302, saved.text[:2000]
    after = public_figure(visitor.get(server_b + "/").text, IN_PAYING_WORK)
    assert int(after.replace(",", "")) == int(before.replace(",", "")) + 1


# c. E-mail goes out from the worker, after the request has answered


def registration(email, secret_key):
    # The form refuses what is sent within seconds of showing it (a robot's speed): sign a start a
    # minute ago, as the form's own hidden field would say.
    started = signing.Signer(key=secret_key, salt=STARTED_SALT).sign(str(int(time.time()) - 60))
    return {
        "organisation": "Gomti Textiles",
        "sector": "Apparel",
        "district": "Lucknow",
        "contact_person": "Farah Naqvi",
        "email": email,
        "phone": "0522-4000000",
        "password1": "gomti-textiles-2026",
        "password2": "gomti-textiles-2026",
        "extra_info": "",
        "started": started,
    }


def messages_to(topology, address):
    return [message for message in topology.smtp_messages() if address in message.get("To", "")]


def test_the_employers_confirmation_email_is_sent_by_the_worker_after_the_request_answers(topology):
    server_a = topology.app_urls[0]
    email = f"hr-{uuid.uuid4().hex[:8]}@gomti-textiles.example"
    employer = ProxiedSession("198.51.100.41", host=NEUTRAL_HOST)
    form = employer.get(server_a + "/employers/register/")
    token = employer.cookies.get("csrftoken")
    assert form.status_code == 200 and token

    topology.kill_worker()
    try:
        response = employer.post(
            server_a + "/employers/register/",
            data={"csrfmiddlewaretoken": token, **registration(email, topology.env["DJANGO_SECRET_KEY"])},
        )
        # The page has answered and nothing has been sent: the mail waits for a worker.
        assert response.status_code == 302, response.text[:2000]
        assert response.headers["Location"].endswith("/employers/register/check-your-email/")
        assert messages_to(topology, email) == []
    finally:
        topology.start_worker()

    sent = wait_for(lambda: messages_to(topology, email), timeout=60)
    assert len(sent) == 1
    assert "/employers/verify/" in sent[0].get_payload(decode=True).decode()


# f. Redis down: the pages serve, readiness says which part failed


def readiness(url):
    response = ProxiedSession().get(url + "/readyz")
    return response.status_code, response.json()


def test_with_redis_stopped_public_pages_serve_and_readyz_names_the_cache(topology, visitor):
    topology.stop_redis()
    try:
        for server in topology.app_urls:
            for path in ("/", "/hi/", "/courses/", "/vacancies/"):
                assert visitor.get(server + path).status_code == 200, (server, path)
            assert readiness(server) == (503, {"status": "unavailable", "failed": ["cache"]})
    finally:
        topology.start_redis()

    for server in topology.app_urls:
        assert wait_for(lambda server=server: readiness(server)[0] == 200, timeout=10), server


# g. PostgreSQL restarted under load: errors stop soon after, and no acknowledged save is lost


def vacancy(title):
    return {
        "title": title,
        "description": "Stitching kurtas on piece rates, with a paid month of training.",
        "district": "Lucknow",
        "openings": "2",
        "pay_min": "9000",
        "pay_max": "11000",
        "job_type": "full_time",
        "closing_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
    }


class Saver(threading.Thread):
    """An employer adding vacancies, one after another, through both servers in turn."""

    def __init__(self, topology, session, prefix):
        super().__init__(daemon=True)
        self.topology, self.session, self.prefix = topology, session, prefix
        self.results = []  # (monotonic time, title, answered with success)
        self.stopping = threading.Event()

    def run(self):
        number = 0
        while not self.stopping.is_set():
            number += 1
            title = f"{self.prefix} {number}"
            server = self.topology.app_urls[number % 2]
            try:
                token = self.session.cookies.get("csrftoken")
                response = self.session.post(
                    server + "/employers/vacancies/add/",
                    data={"csrfmiddlewaretoken": token, **vacancy(title)},
                    timeout=15,
                )
                saved = (
                    response.status_code == 302 and "/employers/vacancies/" in response.headers["Location"]
                )
            except OSError:
                saved = False
            self.results.append((time.monotonic(), title, saved))
            time.sleep(0.05)


def titles_in_database(topology, prefix):
    finished = topology.manage(
        "shell",
        "-c",
        "import json; from placements.models import Vacancy; "
        f"print(json.dumps(list(Vacancy.objects.filter(title__startswith={prefix!r}).values_list('title', flat=True))))",
    )
    return set(json.loads(finished.stdout.strip().splitlines()[-1]))


def test_postgresql_restarted_while_saving_loses_no_acknowledged_save(topology):
    people = topology.seeded
    employer = log_in_employer(
        ProxiedSession("198.51.100.51", host=NEUTRAL_HOST),
        topology.app_urls[0],
        people["employers"][0]["username"],
        people["password"],
    )
    prefix = f"Restart {uuid.uuid4().hex[:6]}"
    saver = Saver(topology, employer, prefix)
    saver.start()
    try:
        time.sleep(2)
        topology.restart_postgres()
        back = time.monotonic()
        time.sleep(13)
    finally:
        saver.stopping.set()
        saver.join(timeout=30)

    failed_at = [at - back for at, _title, saved in saver.results if not saved]
    assert all(seconds <= 10 for seconds in failed_at), failed_at
    assert any(saved for at, _title, saved in saver.results if at > back + 10)
    acknowledged = {title for _at, title, saved in saver.results if saved}
    assert acknowledged <= titles_in_database(topology, prefix)
    # The worker exits when its database goes away; its supervisor starts it again.
    assert wait_for(lambda: topology.is_running("worker"), timeout=10)


# d and e. A cohort's certificates: made by the worker, kept in the private bucket


@pytest.fixture(scope="module")
def printer(topology):
    """The coordinator of the certificate cohorts, logged in (once: an authenticator code is good once)."""
    people = topology.seeded
    account = people["coordinators"][1]
    return log_in_coordinator(
        ProxiedSession("198.51.100.61"),
        topology.app_urls[0],
        account["username"],
        people["password"],
        account["totp_key"],
    )


def start_certificate_job(session, server, cohort_id):
    response = session.post(
        f"{server}/admin/skills_cohort/{cohort_id}/certificates/",
        data={"csrfmiddlewaretoken": session.cookies.get("csrftoken")},
    )
    assert response.status_code == 302, response.text[:2000]
    found = re.search(r"/admin/skills/certificate-jobs/(\d+)/$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def test_bulk_certificates_land_in_the_private_bucket_and_their_download_is_audited(topology, printer):
    server_a, server_b = topology.app_urls
    job = start_certificate_job(printer, server_a, topology.seeded["certificate_cohorts"]["small"])

    # Served by the other app server once the worker has finished (404 until then).
    download = f"{server_b}/admin/skills/certificate-jobs/{job}/certificates.pdf"
    response = wait_for(lambda: (answer := printer.get(download)).status_code == 200 and answer, timeout=120)

    assert response, "the job did not finish"
    assert response.content.startswith(b"%PDF")
    ((job_file, printed),) = topology.sql(
        "SELECT file, certificates_in_file FROM skills_certificatejob WHERE id = %s", [job]
    )
    certificate_files = [
        pdf for (pdf,) in topology.sql("SELECT pdf FROM skills_certificate WHERE id = ANY(%s)", [printed])
    ]
    assert len(printed) == 3
    in_bucket = topology.bucket_keys()
    for name in (job_file, *certificate_files):
        assert name in in_bucket, (name, in_bucket)
        assert (
            requests.get(topology.object_url(name), timeout=10).status_code == 403
        )  # nobody reads it anonymously
    audited = topology.sql(
        "SELECT object_id FROM skills_trackerlogentry "
        "WHERE action = 'sakhi.certificate_download' AND (data->>'job')::int = %s",
        [job],
    )
    assert sorted(int(certificate) for (certificate,) in audited) == sorted(printed)


def cohort_serials(topology, cohort_id):
    return topology.sql(
        "SELECT certificate.serial, certificate.enrolment_id FROM skills_certificate certificate "
        "JOIN skills_enrolment enrolment ON enrolment.id = certificate.enrolment_id "
        "WHERE enrolment.cohort_id = %s ORDER BY certificate.serial",
        [cohort_id],
    )


def test_a_worker_killed_midway_through_certificates_leaves_no_gap_or_duplicate_once_resumed(
    topology, printer
):
    cohort = topology.seeded["certificate_cohorts"]["large"]
    job = start_certificate_job(printer, topology.app_urls[1], cohort)
    issued = wait_for(lambda: len(cohort_serials(topology, cohort)) >= 5, timeout=120, interval=0.02)
    topology.kill_worker()
    assert issued, "the worker issued nothing"
    ((status, attempts),) = topology.sql(
        "SELECT status, attempts FROM skills_certificatejob WHERE id = %s", [job]
    )
    killed_after = len(cohort_serials(topology, cohort))
    assert (status, attempts) == ("running", 1)
    assert killed_after < 40, "the kill came too late to test anything"

    topology.start_worker()
    # The operator's timer (`manage.py resume_jobs`) queues a job that stopped moving; make this one
    # look as stalled as it would be a quarter of an hour later.
    topology.sql("UPDATE skills_certificatejob SET updated_at = '2000-01-01' WHERE id = %s", [job])
    topology.manage("resume_jobs")
    done = wait_for(
        lambda: topology.sql("SELECT status FROM skills_certificatejob WHERE id = %s", [job]) == [("done",)],
        timeout=180,
    )

    assert done, topology.sql(
        "SELECT status, attempts, error FROM skills_certificatejob WHERE id = %s", [job]
    )
    serials = cohort_serials(topology, cohort)
    assert [serial for serial, _enrolment in serials] == list(range(1, 41))
    assert len({enrolment for _serial, enrolment in serials}) == 40
