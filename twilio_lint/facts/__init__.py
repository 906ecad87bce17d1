"""Twilio fact providers: what one parsed module says about Twilio (clients, resources,
requests, signature validation, retries, TwiML, web handlers), built on ``semantic`` and
``knowledge``. Each provider is built once per module and cached on it (``Provider.of(module)``).
Nothing here knows about rules."""
