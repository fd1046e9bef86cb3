from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["employer", "vacancy", "nomination", "placement", "selfemployment", "followup", "vacancyreport"]
RIGHTS = {
    "Training coordinators": {model: ["add", "change", "view"] for model in MODELS},
    "State officers": {model: ["view"] for model in MODELS},
}


def grant(apps, schema_editor):
    placements = apps.get_app_config("placements")
    placements.models_module = True
    create_permissions(placements, apps=apps, verbosity=0)
    placements.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, rights in RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in rights.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label="placements", codename=f"{action}_{model}")
                )


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial"), ("skills", "0003_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
