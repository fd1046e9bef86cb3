from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from skills.certificates import issue_for_cohort
from skills.models import Cohort


class ProgressBar:
    """A plain progress bar on stderr; no dependency needed."""

    def __init__(self, stream, total, width=40):
        self.stream, self.total, self.width, self.done = stream, max(total, 1), width, 0

    def __call__(self):
        self.done += 1
        filled = self.width * self.done // self.total
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Issue certificates to every eligible enrolment of a cohort, and list the ones not issued with why."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cohort", type=int, required=True, help="the cohort's id (shown in the admin)")

    def handle(self, *args, cohort, **options):
        try:
            cohort = Cohort.objects.select_related("course", "centre").get(pk=cohort)
        except Cohort.DoesNotExist as error:
            raise CommandError(f"No cohort has id {cohort}.") from error
        progress = ProgressBar(self.stderr, cohort.enrolments.count())
        try:
            issued, skipped = issue_for_cohort(cohort, progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{len(issued)} certificates issued for {cohort}."))
        for certificate in issued:
            self.stdout.write(f"  issued {certificate.number}  enrolment {certificate.enrolment_id}")
        if skipped:
            self.stdout.write(f"{len(skipped)} enrolments not issued:")
            for item in skipped:
                self.stdout.write(f"  enrolment {item.enrolment.pk}: {item.reason}")
