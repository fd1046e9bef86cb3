from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import admin_urls, twofactor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return admin_urls.urlpatterns


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            _("Reset two-factor login"),
            reverse("two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    actions.register_action(twofactor.ENROLLED, _("Two-factor login set up"), _("Set up two-factor login"))
    actions.register_action(twofactor.RESET, _("Two-factor login reset"), _("Reset the two-factor login"))
    actions.register_action(
        twofactor.TURNED_OFF, _("Two-factor login turned off"), _("Turned two-factor login off")
    )
