import time

from django.core.management.base import BaseCommand

from placements import summaries
from placements.models import TrainedWoman, WorkSpell
from placements.public_figures import invalidate_public_figures


class Command(BaseCommand):
    help = (
        "Rewrite the reporting summaries behind the outcome figures from the tracker's records. Saves "
        "through the site and the import keep them up to date; run this after changing the database "
        "by other means (SQL, loaddata)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        summaries.refresh()
        invalidate_public_figures()
        self.stdout.write(
            f"{TrainedWoman.objects.count():,} women trained, {WorkSpell.objects.count():,} spells of paying work, "
            f"in {time.perf_counter() - started:.1f} s."
        )
