"""Role rights are declared once, in skills.roles.ROLE_RIGHTS (issue 14, item 5): the data
migration applies the table, and the groups in the database are the table."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from skills.roles import (
    COORDINATORS,
    EDITORS,
    ROLE_RIGHTS,
    apply_role_rights,
    governed_permissions,
    role_permission_codes,
)

pytestmark = pytest.mark.django_db


def rights_of(group_name):
    group = Group.objects.get(name=group_name)
    return set(governed_permissions(group).values_list("content_type__app_label", "codename"))


def other_rights_of(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.exclude(pk__in=governed_permissions(group)).values_list("pk", flat=True))


@pytest.mark.parametrize("group_name", list(ROLE_RIGHTS))
def test_each_role_group_has_exactly_the_rights_of_the_table(group_name):
    assert rights_of(group_name) == role_permission_codes(group_name)


def test_the_table_in_words():
    coordinator = role_permission_codes(COORDINATORS)
    assert ("skills", "change_trainee") in coordinator
    assert ("skills", "delete_trainee") not in coordinator
    assert ("skills", "delete_certificate") not in coordinator
    assert ("skills", "add_centre") not in coordinator
    assert all(
        code.startswith(("view_", "access_")) for _app, code in role_permission_codes("State officers")
    )
    assert role_permission_codes("Employers") == set()


def test_applying_the_table_undoes_a_stray_grant_and_leaves_other_rights_alone():
    coordinators = Group.objects.get(name=COORDINATORS)
    coordinators.permissions.add(
        Permission.objects.get(content_type__app_label="skills", codename="delete_trainee")
    )
    coordinators.permissions.remove(
        Permission.objects.get(content_type__app_label="placements", codename="add_nomination")
    )
    editors_elsewhere = other_rights_of(EDITORS)
    assert editors_elsewhere, "Wagtail gives editors rights on pages, images and documents"

    apply_role_rights(apps)

    for group_name in ROLE_RIGHTS:
        assert rights_of(group_name) == role_permission_codes(group_name), group_name
    assert other_rights_of(EDITORS) == editors_elsewhere
