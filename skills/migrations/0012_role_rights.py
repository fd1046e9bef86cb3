"""The role groups' rights, from the one table of them (skills.roles.ROLE_RIGHTS).

0003, 0008 and 0010 here and placements 0002 granted them a piece at a time; this makes every
group equal to the table. A later change of rights changes the table and adds a migration like
this one."""

from django.db import migrations

from skills.roles import apply_role_rights


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0011_credentials"),
        ("placements", "0002_role_rights"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(apply_role_rights, migrations.RunPython.noop)]
