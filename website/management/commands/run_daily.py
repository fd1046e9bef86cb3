import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from placements import services
from placements.models import FollowUp, Vacancy

logger = logging.getLogger("sakhi.daily")


class Command(BaseCommand):
    help = (
        "The daily jobs, for a systemd timer or cron (docs/operator-guide.md): close published vacancies past "
        "their closing date, count the follow-ups that fall due per centre, prune finished background tasks "
        "older than two weeks, queue stalled certificate and import jobs again, and check the outcome summaries against a direct count. Every job runs; the command then fails if the summaries drifted."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        self.close_vacancies(today)
        self.count_follow_ups(today)
        self.prune_finished_tasks()
        # A backstop: resume_jobs also runs every few minutes (docs/operations.md).
        call_command("resume_jobs", stdout=self.stdout)
        drift = self.check_summaries()
        if drift:
            logger.error("daily check: the outcome summaries differ from a direct count: %s", drift)
            raise CommandError(
                f"The outcome summaries differ from a direct count: {drift} "
                "Run `manage.py refresh_outcome_summaries` and report it (docs/outcomes.md)."
            )

    def close_vacancies(self, today):
        expired = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, closing_date__lt=today)
        closed = 0
        for vacancy in expired.iterator():
            services.close_vacancy(vacancy)
            closed += 1
        self.stdout.write(f"Vacancies closed (past their closing date): {closed}")

    def count_follow_ups(self, today):
        """Counts per centre only: the names are in each coordinator's follow-up list, not in a log."""
        centre = Coalesce(F("placement__trainee__centre__name"), F("self_employment__trainee__centre__name"))
        rows = (
            FollowUp.objects.due_by(today)
            .order_by()
            .annotate(centre_name=centre)
            .values("centre_name")
            .annotate(due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
            .order_by("centre_name")
        )
        self.stdout.write("Follow-ups due today or overdue, by centre:")
        for row in rows:
            self.stdout.write(f"  {row['centre_name']}: {row['due']} ({row['overdue']} overdue)")
        if not rows:
            self.stdout.write("  none")

    def prune_finished_tasks(self):
        """Finished background tasks keep their arguments (e-mail addresses and links): keep them
        two weeks for inspection, not for ever. Only the durable backend stores them."""
        if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            call_command(
                "prune_db_task_results", "--queue-name", "*", "--min-age-days", "14", stdout=self.stdout
            )

    def check_summaries(self):
        try:
            call_command("refresh_outcome_summaries", "--check", stdout=self.stdout, stderr=self.stderr)
        except CommandError as error:
            return str(error)
        return ""
