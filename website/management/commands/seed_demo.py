from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from skills.demo import seed_centres_and_trades
from website.demo.site import seed_site
from website.demo.users import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Load the demo centres, trades and bilingual page tree, and (outside production) demo users. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            seed_centres_and_trades()
            seed_site()
        self.stdout.write(self.style.SUCCESS("Demo site ready in English (/) and Hindi (/hi/)."))
        if not settings.SAKHI_DEMO_USERS:
            self.stdout.write("Demo users skipped: these settings never create them.")
            return
        with transaction.atomic():
            users = seed_users()
        self.stdout.write(f"Demo logins for /admin/ (development only), password '{DEMO_PASSWORD}':")
        for username, role in users:
            self.stdout.write(f"  {username:<12} {role}")
