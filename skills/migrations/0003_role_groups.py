"""The role groups and their model-level rights. Centre scoping is in skills.permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Copied, not imported: a migration must not change when application code does.
COORDINATORS = "Training coordinators"
STATE_OFFICERS = "State officers"
EDITORS = "Editors"
EMPLOYERS = "Employers"

COORDINATOR_RIGHTS = {
    "centre": ["view"],
    "trade": ["view"],
    "course": ["add", "change", "view"],
    "cohort": ["add", "change", "view"],
    "trainee": ["add", "change", "view"],
    "enrolment": ["add", "change", "view"],
    "cohortsession": ["add", "change", "view"],
}
STATE_OFFICER_RIGHTS = {model: ["view"] for model in COORDINATOR_RIGHTS}


def create_role_groups(apps, schema_editor):
    # Permissions for this app's new models are normally made after migrate; make them now.
    skills = apps.get_app_config("skills")
    skills.models_module = True
    create_permissions(skills, apps=apps, verbosity=0)
    skills.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )

    def grant(group_name, rights):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(access_admin)
        for model, actions in rights.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label="skills", codename=f"{action}_{model}")
                )

    grant(COORDINATORS, COORDINATOR_RIGHTS)
    grant(STATE_OFFICERS, STATE_OFFICER_RIGHTS)
    grant(EDITORS, {})
    Group.objects.get_or_create(name=EMPLOYERS)


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0002_tracker"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
