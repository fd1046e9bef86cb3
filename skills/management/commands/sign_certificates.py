"""Signed credentials for certificates issued before there were any (skills/credentials.py).

Each valid certificate without a credential gets its revocation entry, its signed credential
(which coordinators then download beside the PDF) and its QR token. Certificates that have a
credential, and revoked ones, are left alone, so the command can be run again at any time."""

from django.core.management.base import BaseCommand, CommandError

from skills import credentials
from skills.models import Certificate
from skills.neutral import NeutralHostNotConfigured, neutral_base_url


class Command(BaseCommand):
    help = (
        "Sign a credential for every valid certificate issued before credentials existed. Safe to "
        "run again: certificates with a credential are left alone. PDFs are not changed."
    )

    def handle(self, *args, **options):
        try:
            neutral_base_url()
        except NeutralHostNotConfigured as error:
            raise CommandError(str(error)) from error
        pending = Certificate.objects.valid().filter(credential="").order_by("pk").values_list("pk", "number")
        signed = []
        for pk, number in pending:
            if credentials.sign_issued_before(pk):
                signed.append(number)
        for number in signed:
            self.stdout.write(f"  signed {number}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(signed)} certificate(s) given a signed credential.")
            if signed
            else "Every valid certificate has a signed credential already."
        )
