"""The employer portal, mounted at /employers/ (and /hi/employers/) inside i18n_patterns.

No namespace: LOGIN_URL is "employer_login", and every name starts with "employer_"."""

from django.urls import path

from . import portal_views as views

urlpatterns = [
    path("", views.home, name="employer_home"),
    path("register/", views.register, name="employer_register"),
    path("register/check-your-email/", views.register_done, name="employer_register_done"),
    path("verify/<str:token>/", views.verify_email, name="employer_verify_email"),
    path("resend-confirmation/", views.resend_verification, name="employer_verify_resend"),
    path("login/", views.EmployerLoginView.as_view(), name="employer_login"),
    path("logout/", views.EmployerLogoutView.as_view(), name="employer_logout"),
    path("password-reset/", views.EmployerPasswordResetView.as_view(), name="employer_password_reset"),
    path(
        "password-reset/sent/",
        views.EmployerPasswordResetDoneView.as_view(),
        name="employer_password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.EmployerPasswordResetConfirmView.as_view(),
        name="employer_password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.EmployerPasswordResetCompleteView.as_view(),
        name="employer_password_reset_complete",
    ),
    path("organisation/", views.profile, name="employer_profile"),
    path("vacancies/add/", views.vacancy_add, name="employer_vacancy_add"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="employer_vacancy"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="employer_vacancy_edit"),
    path("vacancies/<int:pk>/submit/", views.vacancy_submit, name="employer_vacancy_submit"),
    path("vacancies/<int:pk>/close/", views.vacancy_close, name="employer_vacancy_close"),
    path("candidates/", views.candidates, name="employer_candidates"),
    path("candidates/<int:pk>/status/", views.candidate_status, name="employer_candidate_status"),
]
