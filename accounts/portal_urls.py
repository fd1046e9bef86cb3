"""The employer's optional second factor, at /employers/two-factor/ (website.urls mounts it inside
i18n_patterns, before the portal, so it lives on the neutral host with the rest of the portal)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.EmployerSettingsView.as_view(), name="employer_two_factor"),
    path("verify/", views.EmployerVerifyView.as_view(), name="employer_two_factor_verify"),
    path(
        "recovery-codes/",
        views.EmployerRecoveryCodesView.as_view(),
        name="employer_two_factor_recovery_codes",
    ),
]
