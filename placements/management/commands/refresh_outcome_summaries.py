import time

from django.core.management.base import BaseCommand, CommandError

from placements import summaries
from placements.models import TrainedWoman, WorkSpell
from placements.public_figures import invalidate_public_figures


class Command(BaseCommand):
    help = (
        "Rewrite the reporting summaries behind the outcome figures from the tracker's records. The "
        "services keep them up to date; run this after changing the database by other means (SQL, "
        "loaddata). With --check, change nothing: compare them with a count made straight from the "
        "tracker and fail if they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the summaries with the tracker, print what differs and exit non-zero if anything does.",
        )

    def handle(self, *args, check=False, **options):
        started = time.perf_counter()
        if check:
            self.check_summaries(started)
            return
        summaries.refresh()
        invalidate_public_figures()
        self.stdout.write(
            f"{TrainedWoman.objects.count():,} women trained, {WorkSpell.objects.count():,} spells of paying work, "
            f"in {time.perf_counter() - started:.1f} s."
        )

    def check_summaries(self, started):
        found, count = summaries.differences()
        if not count:
            self.stdout.write(
                f"The summaries match the tracker: {TrainedWoman.objects.count():,} women trained, "
                f"{WorkSpell.objects.count():,} spells of paying work "
                f"(checked in {time.perf_counter() - started:.1f} s)."
            )
            return
        for model, kind, row in found:
            values = ", ".join(f"{name}={value}" for name, value in row.items())
            self.stderr.write(f"{model.__name__} {kind}: {values}")
        if count > len(found):
            self.stderr.write(f"... and {count - len(found):,} more.")
        raise CommandError(
            f"The summaries differ from the tracker in {count:,} rows (extra: in the summaries only; "
            "missing: in the tracker's count only). Run refresh_outcome_summaries to rewrite them, "
            "and find the write that skipped them."
        )
