"""The public vacancy board, mounted at /vacancies/ (and /hi/vacancies/) inside i18n_patterns."""

from django.urls import path

from . import board_views
from .feeds import VacancyFeed

urlpatterns = [
    path("", board_views.vacancy_board, name="vacancy_board"),
    path("feed/", VacancyFeed(), name="vacancy_feed"),
    path("<int:pk>/", board_views.vacancy_detail, name="vacancy_detail"),
    path("<int:pk>/report/", board_views.report_vacancy, name="vacancy_report"),
    path("<int:pk>/report/sent/", board_views.report_sent, name="vacancy_report_sent"),
]
