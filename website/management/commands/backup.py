from django.core.management.base import BaseCommand, CommandError

from website import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the private files (certificates, evidence) into a new folder under "
        "DEST_DIR, encrypted with the key in SAKHI_BACKUP_KEY, with a manifest that `restore` checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", nargs="?", metavar="DEST_DIR")
        parser.add_argument("--new-key", action="store_true", help="print a new backup key and stop")

    def handle(self, *args, destination, new_key, **options):
        if new_key:
            self.stdout.write(backups.new_key())
            return
        if not destination:
            raise CommandError("Name the folder to write the backup into (DEST_DIR).")
        try:
            folder, manifest = backups.make_backup(destination, backups.backup_identity())
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up to {folder}: the {manifest['database']['vendor']} database, "
            f"{manifest['files']['count']:,} private files, {len(manifest['certificates']):,} certificates."
        )
