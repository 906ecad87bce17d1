"""Text customers when their order ships."""

import logging
import os

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

log = logging.getLogger(__name__)

client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
STATUS_URL = "http://shop.example.com/twilio/status"


def notify_shipped(order):
    try:
        client.messages.create(
            to=order.phone,
            from_=os.environ["TWILIO_FROM_NUMBER"],
            body=f"Order {order.number} has shipped.",
            status_callback=STATUS_URL,
        )
    except TwilioRestException:
        log.exception("could not text order %s", order.number)
