"""Send tomorrow's appointment reminders; run from cron every evening."""

import os
import time

from twilio.rest import Client

client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"])


def load_appointments():
    """Tomorrow's appointments as (name, phone number) pairs."""
    return [("Ada", "+15005550006"), ("Grace", "+15005550009")]


def send_reminders():
    for name, phone in load_appointments():
        message = client.messages.create(
            to=phone,
            from_=os.environ["TWILIO_PHONE_NUMBER"],
            body=f"Hi {name}, this is a reminder of your appointment tomorrow.",
        )
        while message.status in ("queued", "accepted", "sending"):
            time.sleep(2)
            message = client.messages(message.sid).fetch()
        print(name, message.status)


if __name__ == "__main__":
    send_reminders()
