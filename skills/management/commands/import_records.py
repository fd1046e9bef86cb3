"""manage.py import_records FILE.csv [--dry-run]: the historical import, from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.importer import import_records

PROGRESS_FROM_LINES = 1000


class ProgressBar:
    """One line on a terminal, redrawn in place as the import checks and writes rows."""

    width = 30

    def __init__(self, stream):
        self.stream = stream
        self.drawn = None

    def __call__(self, stage, done, total):
        filled = self.width * done // total if total else self.width
        if (stage, filled) == self.drawn and done < total:
            return
        self.drawn = (stage, filled)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{stage:<8} [{bar}] {done:,}/{total:,}", ending="\n" if done >= total else "")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import training records (trainees, cohorts, enrolments) from a UTF-8 CSV file; see docs/import.md. "
        "Nothing is written if any row has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, changing nothing",
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        progress = ProgressBar(self.stderr) if data.count(b"\n") > PROGRESS_FROM_LINES else None
        result = import_records(data, dry_run=dry_run, progress=progress)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            if dry_run:
                self.stdout.write("Dry run: nothing was changed.")
            raise CommandError(f"{counted(len(result.problems), 'problem')} in {file}; nothing was changed.")
        verb = "would be created" if dry_run else "created"
        self.stdout.write(
            f"{counted(result.rows, 'row')}: {counted(result.created_trainees, 'trainee')}, "
            f"{counted(result.created_cohorts, 'cohort')}, {counted(result.created_courses, 'course')} and "
            f"{counted(result.created_enrolments, 'enrolment')} {verb}; {result.unchanged:,} already in the tracker."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS("Import complete."))


def counted(number, noun):
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
