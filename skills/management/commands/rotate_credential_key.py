"""Make a new key to sign certificates' credentials with. The old keys stay published, so every
credential they signed still verifies (skills/credentials.py, docs/operator-guide.md)."""

from django.core.management.base import BaseCommand

from skills import credentials


class Command(BaseCommand):
    help = "Add a new credential signing key; it signs from now on, older keys stay published."

    def handle(self, *args, **options):
        key = credentials.rotate_key()
        self.stdout.write(
            f"New signing key {credentials.key_id(key)}; {key.number - 1} older key(s) stay published."
        )
