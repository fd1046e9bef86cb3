from django.db import migrations

# Copied rather than imported: a migration must not change when website.roles does.
ADMIN_ROLES = ("Training coordinators", "State officers", "Editors")
EMPLOYERS = "Employers"


def create_role_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name in ADMIN_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
    Group.objects.get_or_create(name=EMPLOYERS)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_hindi_locale"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
