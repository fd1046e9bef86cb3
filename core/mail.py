"""Every e-mail Sakhi sends is a background task (django-tasks): the request that causes it returns
without waiting for the mail server, and a mail server that is down fails the task, not the page.

Production runs the database backend (docs/decisions.md): the task is a row written in the same
transaction as the change it reports, so a change that is rolled back sends nothing, and a saved one
is sent by the worker (`manage.py db_worker`) even if this process dies first. `make run` and the
tests use the immediate backend: the e-mail is sent at once, as before."""

from django.core.mail import send_mail
from django_tasks import task


class EmailNotSent(Exception):
    """The mail server refused or could not be reached; the message names the error's class only."""


# Ahead of Wagtail's own tasks (search and reference indexing, queued by every page save, hundreds
# at a time after an import): an employer waits for this message.
@task(priority=10)
def deliver_email(subject, body, from_email, recipients):
    """One message to these recipients (who see each other: send one per person to keep them apart)."""
    try:
        send_mail(subject, body, from_email, recipients)
    except Exception as error:
        # SMTP errors can quote the recipients' addresses, and a failed task's error is logged and
        # stored with its result: keep only the kind of failure.
        raise EmailNotSent(type(error).__name__) from None


def send_email(subject, body, from_email, recipients):
    """Queue one message."""
    deliver_email.enqueue(subject, body, from_email, list(recipients))
