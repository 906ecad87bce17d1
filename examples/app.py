"""SMS and voice webhooks for the appointment service."""

import logging
import os

from flask import Flask, request
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

app = Flask(__name__)
log = logging.getLogger(__name__)

PUBLIC_BASE_URL = "http://appointments.example.com"

client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])


@app.route("/sms", methods=["POST"])
def incoming_sms():
    body = request.form.get("Body", "").strip().lower()
    sender = request.form["From"]
    reply = MessagingResponse()
    if body == "cancel":
        cancel_appointment(sender)
        reply.message("Your appointment is cancelled.")
    else:
        reply.message("Reply CANCEL to cancel your appointment.")
    return str(reply)


@app.route("/voice", methods=["POST"])
def incoming_call():
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action="http://appointments.example.com/menu")
    gather.say("Press 1 to confirm your appointment, 2 to cancel.")
    response.redirect(f"{PUBLIC_BASE_URL}/voice")
    return str(response)


@app.route("/health")
def health():
    return "ok"


def cancel_appointment(phone_number):
    try:
        client.messages.create(
            to=phone_number,
            from_=os.environ["TWILIO_PHONE_NUMBER"],
            body="We have cancelled your appointment.",
            status_callback=PUBLIC_BASE_URL + "/status",
        )
    except TwilioRestException:
        pass
