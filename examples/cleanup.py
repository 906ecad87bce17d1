"""Delete old call recordings to save storage."""

import os

from twilio.rest import Client

client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
)


def delete_old_recordings():
    for recording in client.recordings.list():
        recording.delete()


if __name__ == "__main__":
    delete_old_recordings()
