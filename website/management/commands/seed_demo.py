from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from website.demo import seed_demo_data
from website.demo.users import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Load the demo centres, training history and bilingual site, and (outside production) demo users. Idempotent."

    def handle(self, *args, **options):
        seed_demo_data()
        self.stdout.write(
            self.style.SUCCESS("Demo site ready in English (/) and Hindi (/hi/), with training records.")
        )
        if not settings.SAKHI_DEMO_USERS:
            self.stdout.write("Demo users skipped: these settings never create them.")
            return
        with transaction.atomic():
            users = seed_users()
        self.stdout.write(f"Demo logins for /admin/ (development only), password '{DEMO_PASSWORD}':")
        for username, role, centres in users:
            where = f" ({', '.join(centres)})" if centres else ""
            self.stdout.write(f"  {username:<18} {role}{where}")
