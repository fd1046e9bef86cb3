"""/vacancies/: the public board of published, open vacancies, with filters, a page per vacancy,
an RSS feed and a report form, in English and Hindi."""

import datetime
import logging
import re
import smtplib
import xml.dom.minidom

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placements.filters import rupees
from placements.models import Employer, Vacancy, VacancyReport
from skills.models import Trade
from skills.roles import COORDINATORS

# Read when each test runs: a module-level date goes stale across midnight (India time).
today = timezone.localdate
Status = Vacancy.Status


def days(n):
    return today() + datetime.timedelta(days=n)


def make_employer(organisation="Ganga Textiles", status=Employer.Status.APPROVED):
    return Employer.objects.create(
        organisation=organisation,
        sector="Apparel",
        district="Lucknow",
        contact_person="Rohit Mehta",
        email="hiring@ganga-textiles.example",
        phone="0522-4455667",
        status=status,
    )


def make_vacancy(employer, title="Tailor", *, trades=("tailoring",), **fields):
    values = {
        "description": "Stitching kurtas on a power machine.\nTea and lunch provided.",
        "district": "Lucknow",
        "openings": 4,
        "pay_min": 8000,
        "pay_max": 12000,
        "job_type": Vacancy.JobType.FULL_TIME,
        "closing_date": days(30),
        "status": Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    vacancy = Vacancy.objects.create(employer=employer, title=title, **values)
    vacancy.trades.set(Trade.objects.filter(slug__in=trades))
    return vacancy


def listed(response):
    return {vacancy.pk for vacancy in response.context["vacancies"]}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def employer(db):
    """An approved employer, on a board cleared of the demo's vacancies (tested on their own below)."""
    Vacancy.objects.all().delete()
    return make_employer()


@pytest.fixture
def board(employer):
    """Two open vacancies and one of every kind that must stay off the board."""
    suspended = make_employer("Shut Down Traders", status=Employer.Status.SUSPENDED)
    return {
        "tailor": make_vacancy(employer, "Tailor", district="Lucknow"),
        "closes_today": make_vacancy(
            employer,
            "Shop assistant",
            trades=("retail-marketing",),
            district="Patna",
            job_type=Vacancy.JobType.PART_TIME,
            pay_min=6000,
            pay_max=9000,
            closing_date=today(),
        ),
        "draft": make_vacancy(employer, "Draft job", status=Status.DRAFT, district="Leh", published_at=None),
        "submitted": make_vacancy(employer, "Submitted job", status=Status.SUBMITTED, published_at=None),
        "rejected": make_vacancy(employer, "Rejected job", status=Status.REJECTED, published_at=None),
        "closed": make_vacancy(employer, "Closed job", status=Status.CLOSED),
        "past_closing": make_vacancy(employer, "Yesterday's job", closing_date=days(-1)),
        "suspended_employer": make_vacancy(suspended, "Suspended employer's job"),
    }


@pytest.fixture
def coordinators(db):
    group = Group.objects.get(name=COORDINATORS)
    users = [
        User.objects.create_user("asha", email="asha@sakhi.example"),
        User.objects.create_user("nisha", email="nisha@sakhi.example"),
        User.objects.create_user("no-mail"),
        User.objects.create_user("left", email="left@sakhi.example", is_active=False),
    ]
    group.user_set.add(*users)
    User.objects.create_user("editor", email="editor@sakhi.example")  # not a coordinator
    return users


# The list


def test_demo_board_shows_the_demo_vacancies_open_today(client, db):
    titles = {vacancy.title for vacancy in client.get("/vacancies/").context["vacancies"]}
    assert titles == {
        "Sewing machine operators",
        "Embroidery work from home",
        "Sales associates for the new store",
    }


def test_lists_only_published_vacancies_open_today(client, board):
    response = client.get("/vacancies/")
    assert response.status_code == 200
    assert listed(response) == {board["tailor"].pk, board["closes_today"].pk}
    body = response.content.decode()
    for off_board in ("Draft job", "Submitted job", "Rejected job", "Closed job", "Yesterday", "Suspended"):
        assert off_board not in body


def test_a_card_shows_what_a_woman_needs_and_no_contact_details(client, board):
    body = client.get("/vacancies/", {"district": "Lucknow"}).content.decode()
    assert f'href="/vacancies/{board["tailor"].pk}/"' in body
    assert "Ganga Textiles" in body
    assert "Lucknow" in body
    assert "Full-time" in body
    assert "₹8,000 to ₹12,000 a month" in body
    assert "<dd>4</dd>" in body
    assert board["tailor"].closing_date.strftime("%Y-%m-%d") in body
    assert "Tailoring" in body
    for contact in ("Rohit Mehta", "hiring@ganga-textiles.example", "0522-4455667"):
        assert contact not in body


def test_filter_by_trade(client, board):
    assert listed(client.get("/vacancies/", {"trade": "tailoring"})) == {board["tailor"].pk}
    assert listed(client.get("/vacancies/", {"trade": "retail-marketing"})) == {board["closes_today"].pk}
    assert listed(client.get("/vacancies/", {"trade": "food-processing"})) == set()


def test_filter_by_district(client, board):
    assert listed(client.get("/vacancies/", {"district": "Patna"})) == {board["closes_today"].pk}


def test_district_choices_come_from_the_board_only(client, board):
    choices = dict(client.get("/vacancies/").context["vacancy_filter"].form.fields["district"].choices)
    assert set(choices) == {"", "Lucknow", "Patna"}  # not the draft's Leh


def test_filter_by_job_type(client, board):
    assert listed(client.get("/vacancies/", {"job_type": "part_time"})) == {board["closes_today"].pk}
    assert listed(client.get("/vacancies/", {"job_type": "home_based"})) == set()


def test_filter_by_the_least_pay_she_wants(client, board):
    # The tailor pays up to ₹12,000, the shop assistant up to ₹9,000.
    assert listed(client.get("/vacancies/", {"pay": "8000"})) == {
        board["tailor"].pk,
        board["closes_today"].pk,
    }
    assert listed(client.get("/vacancies/", {"pay": "12000"})) == {board["tailor"].pk}
    assert listed(client.get("/vacancies/", {"pay": "15000"})) == set()


def test_filters_combine(client, board):
    response = client.get("/vacancies/", {"trade": "tailoring", "district": "Patna"})
    assert listed(response) == set()
    assert "No open vacancy matches" in response.content.decode()


def test_bad_filter_values_show_an_error_not_a_crash(client, board):
    response = client.get("/vacancies/", {"trade": "no-such-trade", "pay": "lots", "job_type": "x"})
    assert response.status_code == 200
    assert set(response.context["vacancy_filter"].errors) == {"trade", "pay", "job_type"}
    assert 'role="alert"' in response.content.decode()


def test_empty_board_says_so(client, employer):
    body = client.get("/vacancies/").content.decode()
    assert "There are no open vacancies right now." in body


def test_board_is_paginated_and_keeps_the_filters(client, employer):
    for n in range(25):
        make_vacancy(employer, f"Tailor {n:02d}", closing_date=days(n + 1))
    first = client.get("/vacancies/", {"trade": "tailoring"})
    assert len(listed(first)) == 20
    assert "25 vacancies open" in first.content.decode()
    assert 'href="?trade=tailoring&amp;page=2"' in first.content.decode()
    second = client.get("/vacancies/", {"trade": "tailoring", "page": "2"})
    assert len(listed(second)) == 5
    assert listed(client.get("/vacancies/", {"page": "99"})) == listed(second)


def test_query_count_is_flat_from_5_to_30_vacancies(client, employer):
    def count():
        client.get("/vacancies/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/vacancies/").status_code == 200
        return len(queries)

    trades = ("tailoring", "jute-handiwork", "retail-marketing")
    for n in range(5):
        make_vacancy(employer, f"Job {n}", trades=trades, district=f"District {n}")
    five = count()
    for n in range(5, 30):
        make_vacancy(employer, f"Job {n}", trades=trades, district=f"District {n}")
    assert count() == five


# A vacancy's page


def test_detail_shows_the_vacancy_and_how_to_apply(client, board):
    response = client.get(board["tailor"].get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Tailor</h1>" in body
    assert "Stitching kurtas on a power machine.<br>Tea and lunch provided." in body
    assert "Ganga Textiles · Lucknow" in body
    assert "₹8,000 to ₹12,000 a month" in body
    assert "Tailoring" in body
    assert (
        "Ask at your nearest Sakhi centre or call 181: the centre puts you forward; "
        "employers never see anyone without her consent."
    ) in body
    assert f'href="/vacancies/{board["tailor"].pk}/report/"' in body
    for contact in ("Rohit Mehta", "hiring@ganga-textiles.example", "0522-4455667"):
        assert contact not in body


def test_vacancy_closing_today_is_still_open(client, board):
    assert client.get(board["closes_today"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["closed", "past_closing", "suspended_employer"])
def test_a_vacancy_that_was_public_says_it_has_closed(client, board, name):
    response = client.get(f"/vacancies/{board[name].pk}/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "This vacancy has closed" in body
    assert board[name].title not in body
    assert 'class="quick-exit"' in body


@pytest.mark.parametrize("name", ["draft", "submitted", "rejected"])
def test_a_vacancy_never_published_is_not_found(client, board, name):
    response = client.get(f"/vacancies/{board[name].pk}/")
    assert response.status_code == 404
    assert board[name].title not in response.content.decode()


def test_unknown_vacancy_is_not_found(client, db):
    assert client.get("/vacancies/999999/").status_code == 404


# RSS


def feed_items(response):
    assert response.status_code == 200
    document = xml.dom.minidom.parseString(response.content)
    items = document.getElementsByTagName("item")
    return document, {
        item.getElementsByTagName("title")[0].firstChild.data: item.getElementsByTagName("link")[
            0
        ].firstChild.data
        for item in items
    }


def test_feed_lists_only_open_vacancies(client, board):
    document, items = feed_items(client.get("/vacancies/feed/"))
    assert items == {
        "Tailor": f"http://testserver/vacancies/{board['tailor'].pk}/",
        "Shop assistant": f"http://testserver/vacancies/{board['closes_today'].pk}/",
    }
    assert document.getElementsByTagName("language")[0].firstChild.data == "en"
    assert "hiring@ganga-textiles.example" not in client.get("/vacancies/feed/").content.decode()


def test_hindi_feed_is_in_hindi_and_links_the_hindi_pages(client, board):
    response = client.get("/hi/vacancies/feed/")
    document, items = feed_items(response)
    assert document.getElementsByTagName("language")[0].firstChild.data == "hi"
    assert items["Tailor"] == f"http://testserver/hi/vacancies/{board['tailor'].pk}/"
    assert "सिलाई" in response.content.decode()  # the trade, as a category


# Reporting a vacancy


def report(client, vacancy, reason="It asks for a ₹2,000 registration fee.", **extra):
    return client.post(f"/vacancies/{vacancy.pk}/report/", {"reason": reason, "website": "", **extra})


def test_report_form_asks_nothing_about_the_reporter(client, board):
    response = client.get(f"/vacancies/{board['tailor'].pk}/report/")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {"reason", "website"}
    assert re.search(r"<div hidden[^>]*>\s*<label[^>]*>Leave this empty", response.content.decode())


def test_report_is_recorded_and_mailed_to_the_coordinators(client, board, coordinators):
    response = report(client, board["tailor"])
    assert response.status_code == 302
    assert response["Location"] == f"/vacancies/{board['tailor'].pk}/report/sent/"
    saved = VacancyReport.objects.get()
    assert saved.vacancy == board["tailor"]
    assert saved.reason == "It asks for a ₹2,000 registration fee."
    assert not saved.resolved

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["asha@sakhi.example", "nisha@sakhi.example"]
    assert message.from_email == "sakhi@localhost"
    assert message.subject == "Vacancy reported: Tailor"
    assert "It asks for a ₹2,000 registration fee." in message.body
    assert f"http://testserver/vacancies/{board['tailor'].pk}/" in message.body

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your report" in thanks.content.decode()


def test_report_from_the_hindi_site_mails_in_english(client, board, coordinators):
    response = client.post(f"/hi/vacancies/{board['tailor'].pk}/report/", {"reason": "नकली नौकरी"})
    assert response["Location"] == f"/hi/vacancies/{board['tailor'].pk}/report/sent/"
    assert mail.outbox[0].subject == "Vacancy reported: Tailor"
    assert "नकली नौकरी" in mail.outbox[0].body


def test_a_robot_filling_the_honeypot_is_thanked_and_ignored(client, board, coordinators):
    response = report(client, board["tailor"], website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"].endswith("/report/sent/")
    assert not VacancyReport.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_report_needs_a_reason_of_at_most_1000_characters(client, board, coordinators, reason):
    response = report(client, board["tailor"], reason=reason)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not VacancyReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, board, coordinators):
    for _n in range(5):
        assert report(client, board["tailor"]).status_code == 302
    response = report(client, board["tailor"])
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many reports" in response.content.decode()
    assert VacancyReport.objects.count() == 5
    other = client.post(
        f"/vacancies/{board['tailor'].pk}/report/", {"reason": "Fake."}, REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 302


def test_mail_failure_keeps_the_report_and_logs_no_personal_data(
    client, board, coordinators, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"asha@sakhi.example": (550, b"no")})

    monkeypatch.setattr("core.mail.send_mail", refuse)
    with caplog.at_level(logging.WARNING):
        response = report(client, board["tailor"], reason="My number is 98765 43210, call me.")
    assert response.status_code == 302
    assert VacancyReport.objects.count() == 1
    assert "SMTPRecipientsRefused" in caplog.text
    assert "asha@" not in caplog.text
    assert "98765" not in caplog.text


def test_report_without_coordinators_is_still_recorded(client, board):
    assert report(client, board["tailor"]).status_code == 302
    assert VacancyReport.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["closed", "past_closing", "draft"])
def test_only_vacancies_on_the_board_can_be_reported(client, board, name):
    assert client.get(f"/vacancies/{board[name].pk}/report/").status_code == 404
    assert report(client, board[name]).status_code == 404
    assert not VacancyReport.objects.exists()


# Privacy, safety and language


def test_no_persistent_cookies_for_visitors(client, board):
    for url in ("/vacancies/", board["tailor"].get_absolute_url(), "/vacancies/feed/"):
        assert client.get(url).cookies == {}
    form_page = client.get(f"/vacancies/{board['tailor'].pk}/report/")
    assert "csrftoken" in form_page.cookies
    posted = report(client, board["tailor"])
    for response in (form_page, posted):
        for name, morsel in response.cookies.items():
            assert not morsel["expires"] and not morsel["max-age"], name
        assert "sessionid" not in response.cookies


def test_csrf_is_enforced_on_the_report_form(board):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"/vacancies/{board['tailor'].pk}/report/", {"reason": "Fake."}
    )
    assert response.status_code == 403
    assert not VacancyReport.objects.exists()


def public_paths(board):
    pk = board["tailor"].pk
    return ["/vacancies/", f"/vacancies/{pk}/", f"/vacancies/{pk}/report/", f"/vacancies/{pk}/report/sent/"]


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_board_page_has_the_safety_features_in_each_language(client, board, language):
    for path in public_paths(board):
        url = path if language == "en" else "/hi" + path
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert re.search(r'<html[^>]*\blang="([^"]+)"', body).group(1) == language, url
        assert re.search(r"<body[^>]*>\s*<a [^>]*class=\"quick-exit\"", body), url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert "<script>" not in body and "style=" not in body, url


def test_hindi_board_names_trades_and_districts_in_hindi(client, board):
    body = client.get("/hi/vacancies/").content.decode()
    assert "सिलाई" in body  # Tailoring
    assert "लखनऊ" in body  # Lucknow
    assert f'href="/hi/vacancies/{board["tailor"].pk}/"' in body
    detail = client.get(f"/hi/vacancies/{board['tailor'].pk}/").content.decode()
    assert "सिलाई" in detail


def test_language_switch_keeps_the_vacancy(client, board):
    pk = board["tailor"].pk
    body = client.get(f"/vacancies/{pk}/").content.decode()
    assert re.search(rf'<a href="/hi/vacancies/{pk}/"[^>]*data-language="hi"', body)


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (0, "₹0"),
        (500, "₹500"),
        (1000, "₹1,000"),
        (12000, "₹12,000"),
        (125000, "₹1,25,000"),
        (10**7, "₹1,00,00,000"),
    ],
)
def test_rupees_use_indian_digit_grouping(amount, written):
    assert rupees(amount) == written
