from django.core.management.base import BaseCommand, CommandError

from website import backups


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup` into this site's (empty) database and private storage, "
        "then check the certificates and the outcome figures against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="SRC_DIR")
        parser.add_argument(
            "--force", action="store_true", help="restore over a database and storage that already hold data"
        )

    def handle(self, *args, source, force, **options):
        try:
            restored = backups.restore_backup(source, backups.backup_identity(), force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored['files']:,} private files; {restored['certificates']:,} certificates match "
            f"their checksums and the outcome figures of {restored['periods_compared']} periods match the manifest."
        )
