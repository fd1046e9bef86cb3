"""Mounted in the Wagtail admin by wagtail_hooks (so Wagtail's admin-access check wraps them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("two-factor/enrol/", views.EnrolView.as_view(), name="two_factor_enrol"),
    path("two-factor/verify/", views.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.RecoveryCodesView.as_view(), name="two_factor_recovery_codes"),
    path("two-factor/reset/<int:user_id>/", views.reset, name="two_factor_reset"),
]
