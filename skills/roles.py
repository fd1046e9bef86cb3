"""The staff and partner roles of DESIGN.md, as Django groups (made by skills migrations), and
the checks of who holds which role.

Wagtail's own "Editors" group is the editor role: CMS pages, none of the tracker. This module
imports no models, so that models, permissions and views may all import it."""

COORDINATORS = "Training coordinators"
STATE_OFFICERS = "State officers"
EDITORS = "Editors"
EMPLOYERS = "Employers"

STAFF_ROLES = (COORDINATORS, STATE_OFFICERS, EDITORS)


def has_role(user, group_name):
    if not user.is_authenticated or not user.is_active:
        return False
    cache = user.__dict__.setdefault("_sakhi_roles", None)
    if cache is None:
        cache = user.__dict__["_sakhi_roles"] = set(user.groups.values_list("name", flat=True))
    return group_name in cache


def is_state_officer(user):
    return has_role(user, STATE_OFFICERS)


def is_coordinator(user):
    return has_role(user, COORDINATORS)


def sees_every_centre(user):
    return user.is_active and (user.is_superuser or is_state_officer(user))


def is_reading(actions):
    """Whether an action, or every one of a list of actions, only reads ("view")."""
    return {actions} <= {"view"} if isinstance(actions, str) else set(actions) <= {"view"}


# What each role may do, by model ("app_label.model": actions; an action and the model name make
# the permission's codename, as "access" and "admin" make wagtailadmin.access_admin). Centre
# scoping comes on top (Model.objects.for_user). Data migrations apply this table with
# apply_role_rights; to change a right, change it here and add a migration that calls it again.
ADMIN_ACCESS = {"wagtailadmin.admin": ("access",)}
READ = ("view",)
WORK = ("add", "change", "view")
TRACKER_MODELS = (
    "skills.centre",
    "skills.trade",
    "skills.course",
    "skills.cohort",
    "skills.trainee",
    "skills.enrolment",
    "skills.cohortsession",
    "skills.certificate",
    "placements.employer",
    "placements.vacancy",
    "placements.nomination",
    "placements.placement",
    "placements.selfemployment",
    "placements.followup",
    "placements.vacancyreport",
)
ROLE_RIGHTS = {
    COORDINATORS: {
        **ADMIN_ACCESS,
        **dict.fromkeys(TRACKER_MODELS, WORK),
        "skills.centre": READ,  # only superusers add centres or change who coordinates them
        "skills.trade": READ,
        "skills.cohortsession": ("add", "change", "delete", "view"),  # a session taken by mistake
        "skills.certificate": ("change", "view"),  # issued by the service, never deleted
    },
    STATE_OFFICERS: {**ADMIN_ACCESS, **dict.fromkeys(TRACKER_MODELS, READ)},
    EDITORS: {**ADMIN_ACCESS},  # and Wagtail's own rights on pages, images and documents
    EMPLOYERS: {},  # the employer portal only, never the admin
}
# The apps whose rights the table states in full; a group's rights elsewhere (Wagtail's on
# pages, images and documents) are not the table's business.
RIGHTS_APPS = ("skills", "placements")


def role_permission_codes(group_name):
    """{("app_label", "codename")} of the rights ROLE_RIGHTS gives a role."""
    return {
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model, actions in ROLE_RIGHTS[group_name].items()
        for action in actions
    }


def governed_permissions(group):
    """A group's rights that the table states: in RIGHTS_APPS, or admin access."""
    from django.db.models import Q

    return group.permissions.filter(
        Q(content_type__app_label__in=RIGHTS_APPS)
        | Q(content_type__app_label="wagtailadmin", codename="access_admin")
    )


def apply_role_rights(apps, schema_editor=None):
    """Make each role group's rights equal to ROLE_RIGHTS (a data migration's RunPython; `apps`
    gives the historical models). Rights outside the table's reach are left as they are."""
    from django.contrib.auth.management import create_permissions

    for label in RIGHTS_APPS:
        # Permissions for new models are normally made after migrate; make them now.
        config = apps.get_app_config(label)
        models_module = getattr(config, "models_module", None)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for group_name in ROLE_RIGHTS:
        group, _ = Group.objects.get_or_create(name=group_name)
        # Only the rights whose model exists at this migration's state: a model the table names
        # that a later migration creates gets its rights from the migration that re-applies the
        # table after it (tests/skills/test_role_rights.py checks the groups equal the table).
        codes = role_permission_codes(group_name)
        wanted = [
            permission
            for permission in Permission.objects.filter(
                content_type__app_label__in={app_label for app_label, _codename in codes},
                codename__in={codename for _app_label, codename in codes},
            )
            if (permission.content_type.app_label, permission.codename) in codes
        ]
        group.permissions.remove(*governed_permissions(group).exclude(pk__in=[p.pk for p in wanted]))
        group.permissions.add(*wanted)
