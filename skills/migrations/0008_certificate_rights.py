from django.contrib.auth.management import create_permissions
from django.db import migrations

RIGHTS = {"Training coordinators": ["change", "view"], "State officers": ["view"]}


def grant_certificate_rights(apps, schema_editor):
    skills = apps.get_app_config("skills")
    skills.models_module = True
    create_permissions(skills, apps=apps, verbosity=0)
    skills.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in actions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="skills", codename=f"{action}_certificate")
            )


class Migration(migrations.Migration):
    dependencies = [("skills", "0007_certificates")]

    operations = [migrations.RunPython(grant_certificate_rights, migrations.RunPython.noop)]
