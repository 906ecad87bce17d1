"""Nightly call report for the support team."""

import os
from datetime import date, timedelta

from twilio.rest import Client
from twilio.util import RequestValidator

client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], os.environ["TWILIO_ACCOUNT_SID"])
validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])


def yesterdays_calls():
    since = date.today() - timedelta(days=1)
    return client.api.calls.list(start_time_after=since, limit=500)
