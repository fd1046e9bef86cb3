"""A completion before the cohort's end records why; coordinators may delete a session taken by mistake."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

COORDINATORS = "Training coordinators"  # copied, not imported: a migration must not change with the code


def let_coordinators_delete_sessions(apps, schema_editor):
    skills = apps.get_app_config("skills")
    skills.models_module = True
    create_permissions(skills, apps=apps, verbosity=0)
    skills.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=COORDINATORS)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="skills", codename="delete_cohortsession")
    )


class Migration(migrations.Migration):
    dependencies = [("skills", "0009_trainee_safety")]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="early_completion_reason",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="reason for completing before the cohort ends"
            ),
        ),
        migrations.RunPython(let_coordinators_delete_sessions, migrations.RunPython.noop),
    ]
