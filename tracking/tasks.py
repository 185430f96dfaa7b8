"""Thin Celery tasks of the tracking app: call a service, record the outcome."""
from celery import shared_task

from .reminders import reminders_send_digests


@shared_task(name="tracking.tasks.send_reminder_digests")
def send_reminder_digests() -> int:
    return reminders_send_digests()
