from django.core.management.base import BaseCommand

from skills.tasks import prune_finished_jobs, resume_stalled_jobs


class Command(BaseCommand):
    help = (
        "Queue again the background jobs (a cohort's certificates, a large import) that stopped moving: "
        "their worker was killed or their task lost; running a job again duplicates nothing. Then forget "
        "jobs finished over two weeks ago, with their files. Run it every few minutes from a timer "
        "(docs/operator-guide.md)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Stalled jobs queued again: {resume_stalled_jobs()}")
        self.stdout.write(f"Finished jobs forgotten (over two weeks old): {prune_finished_jobs()}")
