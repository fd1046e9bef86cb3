"""The people of the load benchmark (a locustfile; benchmarks/load.py runs it, headless, against the
production topology): 70 % public visitors, 15 % employers browsing their candidates, 15 %
coordinators saving attendance and recording outcomes.

Each simulated person has an address of her own behind the load balancer (so that the per-address
limits count her alone, as in production) and sends each request to either app server, as a
round-robin balancer would. Who logs in comes from the seeded database (tests/production/seed.py),
read from the file named by SAKHI_LOAD_PEOPLE; the app servers from SAKHI_LOAD_SERVERS.

Every request's kind, time and outcome is written to SAKHI_LOAD_RESULTS when the run ends, for
load.py's figures per kind."""

import datetime
import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.production.people import (  # noqa: E402
    days_of,
    log_in_coordinator,
    log_in_employer,
    record_placement,
    save_register,
)
from tests.production.topology import NEUTRAL_HOST, cookies_for_the_last_hop, proxy_headers  # noqa: E402

SERVERS = os.environ["SAKHI_LOAD_SERVERS"].split(",")
PEOPLE = json.loads(Path(os.environ["SAKHI_LOAD_PEOPLE"]).read_text())
RESULTS = os.environ.get("SAKHI_LOAD_RESULTS")
# Bounded in count as well as in time: nobody makes more requests than this.
MAX_REQUESTS_PER_USER = int(os.environ.get("SAKHI_LOAD_MAX_REQUESTS_PER_USER", "400"))
# The first coordinators are the production tests'; an authenticator code is good once, so each
# simulated coordinator logs in as a coordinator of her own.
FIRST_LOAD_COORDINATOR = 2

PUBLIC_PAGES = [
    "/",
    "/hi/",
    "/courses/",
    "/vacancies/",
    "/centres/lucknow/",
    "/hi/courses/",
    "/search/?q=tailoring",
]

addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))
coordinator_accounts = itertools.count(FIRST_LOAD_COORDINATOR)
employer_accounts = itertools.count()
samples = []  # (kind, milliseconds, failed)


@events.request.add_listener
def remember(request_type, name, response_time, response_length, exception=None, **kwargs):
    samples.append((name.split(" ", 1)[0], response_time, exception is not None))


@events.user_error.add_listener
def remember_failure(user_instance, exception, tb, **kwargs):
    """A person's step that failed outside a request (a login refused): an error of her kind."""
    samples.append((user_instance.kind, None, True))


@events.quitting.add_listener
def write_results(environment, **kwargs):
    if RESULTS:
        Path(RESULTS).write_text(json.dumps(samples))


class Browser:
    """A person's browser behind the load balancer, shaped like requests.Session for
    tests.production.people: it adds the proxy's headers, picks an app server for each request and
    names each request by its kind, with numbers taken out of the path."""

    def __init__(self, user, kind, host=None):
        self.user, self.kind, self.host = user, kind, host
        self.client = user.client
        self.address = next(addresses)
        self.requests = 0

    @property
    def cookies(self):
        return self.client.cookies

    def request(self, method, url, **kwargs):
        self.requests += 1
        if self.requests > MAX_REQUESTS_PER_USER:
            raise StopUser
        # The helpers pass one server's URL; a round-robin balancer sends each request anywhere.
        path = re.sub(r"^https?://[^/]+", "", url)
        url = random.choice(SERVERS) + path
        headers = {**proxy_headers(url, method, self.address, self.host), **kwargs.pop("headers", {})}
        name = f"{self.kind} {method} {re.sub(r'[0-9]+', 'N', path.split('?')[0])}"
        response = self.client.request(
            method, url, headers=headers, allow_redirects=False, name=name, **kwargs
        )
        cookies_for_the_last_hop(self.client.cookies)
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)


class PublicVisitor(HttpUser):
    kind = "public"
    weight = 70
    wait_time = between(0.5, 2)

    def on_start(self):
        self.browser = Browser(self, self.kind)

    @task(6)
    def page(self):
        self.browser.get(SERVERS[0] + random.choice(PUBLIC_PAGES))

    @task(1)
    def checks_a_certificate(self):
        self.browser.host = NEUTRAL_HOST
        self.browser.get(SERVERS[0] + "/certificates/verify/NOTACODE00/")
        self.browser.host = None


class Employer(HttpUser):
    kind = "employer"
    weight = 15
    wait_time = between(0.5, 2)

    def on_start(self):
        self.browser = Browser(self, self.kind, host=NEUTRAL_HOST)
        account = PEOPLE["employers"][next(employer_accounts) % len(PEOPLE["employers"])]
        log_in_employer(self.browser, SERVERS[0], account["username"], PEOPLE["password"])

    @task(3)
    def candidates(self):
        self.browser.get(SERVERS[0] + "/employers/candidates/")

    @task(1)
    def portal_home(self):
        self.browser.get(SERVERS[0] + "/employers/")

    @task(1)
    def vacancy(self):
        self.browser.get(SERVERS[0] + f"/employers/vacancies/{PEOPLE['vacancy']}/")


class Coordinator(HttpUser):
    kind = "coordinator"
    weight = 15
    wait_time = between(0.5, 2)

    def on_start(self):
        self.browser = Browser(self, self.kind)
        number = next(coordinator_accounts)
        if number >= len(PEOPLE["coordinators"]):
            raise StopUser  # more simulated coordinators than seeded logins
        account = PEOPLE["coordinators"][number]
        self.cohort = PEOPLE["cohorts"][number]
        log_in_coordinator(
            self.browser, SERVERS[0], account["username"], PEOPLE["password"], account["totp_key"]
        )

    @task(3)
    def saves_attendance(self):
        day = random.choice(days_of(self.cohort))
        register = f"/admin/skills_cohort/{self.cohort['id']}/attendance/{day.isoformat()}/"
        opened = self.browser.get(SERVERS[0] + register)
        if opened.status_code == 302:  # already taken: its session's register
            self.browser.get(SERVERS[0] + opened.headers["Location"])
        present = random.sample(
            self.cohort["enrolments"], k=random.randint(5, len(self.cohort["enrolments"]))
        )
        save_register(self.browser, SERVERS[0], self.cohort["id"], day, present)

    @task(1)
    def records_an_outcome(self):
        # A second job for a woman already in paying work: the public figures stay as the tests expect.
        woman = random.choice(PEOPLE["already_placed"])
        record_placement(
            self.browser,
            SERVERS[0],
            woman,
            job_title="Machine operator",
            monthly_pay=random.randint(8000, 14000),
            started_on=datetime.date.today() - datetime.timedelta(days=random.randint(1, 60)),
        )

    @task(1)
    def dashboard(self):
        self.browser.get(SERVERS[0] + "/admin/")
