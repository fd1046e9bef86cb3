"""One registration per admin viewset (issue 14, item 5): a record's actions (issue a certificate,
take attendance, publish a vacancy, confirm a placement...) are URLs of its model's viewset, in its
namespace; the apps' own register_admin_urls hooks add only pages that belong to no model."""

import pytest
from django.urls import resolve, reverse
from wagtail import hooks
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.admin.viewsets.model import ModelViewSet

from skills.views import ActionView

ACTIONS = {
    "skills_cohort": ["bulk_enrol", "take_attendance", "issue_certificates"],
    "skills_enrolment": ["drop_out", "complete", "issue_certificate"],
    "skills_cohortsession": ["attendance"],
    "skills_certificate": ["download", "credential_download", "revoke", "reissue"],
    "placements_employer": ["review"],
    "placements_vacancy": ["publish", "reject"],
    "placements_nomination": ["withdraw", "confirm_hire"],
    "placements_placement": ["evidence_download"],
    "placements_followup": ["record"],
}


def own_hook_urls():
    return [
        pattern
        for hook in hooks.get_hooks("register_admin_urls")
        if hook.__module__.split(".")[0] in ("skills", "placements")
        for pattern in hook()
    ]


@pytest.mark.parametrize(
    ("namespace", "action"), [(ns, a) for ns, actions in ACTIONS.items() for a in actions]
)
def test_each_action_is_in_its_viewsets_namespace(namespace, action):
    url = reverse(f"{namespace}:{action}", args=[1])
    assert url.startswith(f"/admin/{namespace}/1/")
    assert resolve(url).namespace == namespace


def test_the_cohort_register_of_a_day_and_its_certificate_downloads():
    assert (
        reverse("skills_cohort:register", args=[1, "2024-05-02"])
        == "/admin/skills_cohort/1/attendance/2024-05-02/"
    )
    assert (
        reverse("skills_cohort:certificates_download", args=[1, "zip"])
        == "/admin/skills_cohort/1/certificates.zip"
    )


def test_no_action_of_a_record_is_registered_outside_its_viewset():
    reverse("wagtailadmin_home")  # the viewset registry fills when the admin's URLs load
    namespaces = {
        viewset.url_namespace for viewset in viewset_registry.viewsets if isinstance(viewset, ModelViewSet)
    }
    assert set(ACTIONS) <= namespaces
    for pattern in own_hook_urls():
        view_class = getattr(pattern.callback, "view_class", None)
        assert not (view_class and issubclass(view_class, ActionView)), pattern.name
