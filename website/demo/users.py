"""Demo accounts, one per role, with a known development password.

Never run where settings.SAKHI_DEMO_USERS is False (production)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from placements.demo import seed_employer_account
from skills import roles
from skills.models import Centre

DEMO_PASSWORD = "sakhi-demo-2024"  # noqa: S105 - development only, printed by make run

DEMO_USERS = [
    # username, first name, last name, group (None = superuser), centres coordinated
    ("admin", "Site", "Administrator", None, []),
    ("coordinator", "Asha", "Verma", roles.COORDINATORS, ["lucknow"]),
    ("coordinator.patna", "Nisha", "Prasad", roles.COORDINATORS, ["patna-1", "patna-2"]),
    ("officer", "Meera", "Singh", roles.STATE_OFFICERS, []),
    ("editor", "Ravi", "Kumar", roles.EDITORS, []),
    ("employer", "Imran", "Khan", roles.EMPLOYERS, []),
]


def seed_users():
    """Create the missing demo users; return [(username, role, centre slugs)] of all demo users."""
    if not settings.SAKHI_DEMO_USERS:
        raise RuntimeError("Demo users are disabled in these settings (SAKHI_DEMO_USERS is False).")
    User = get_user_model()
    created = []
    for username, first, last, group_name, centre_slugs in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@sakhi.example",
                "is_staff": group_name is None,
                "is_superuser": group_name is None,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            for centre in Centre.objects.filter(slug__in=centre_slugs):
                centre.coordinators.add(user)
        if group_name == roles.EMPLOYERS:
            seed_employer_account(user)
        created.append((username, group_name or "superuser", centre_slugs))
    return created
