"""Twilio's own documentation that the rules enforce: the References of each rule's page.

Plain URLs, printed as they are by ``explain`` and in ``docs/rules/``; one constant per page so
rules that enforce the same advice cite it the same way.
"""

from __future__ import annotations

API_KEYS = "https://www.twilio.com/docs/iam/api-keys"
API_KEY_RESOURCE = "https://www.twilio.com/docs/iam/api-keys/key-resource-v1"
REQUESTS_TO_TWILIO = "https://www.twilio.com/docs/usage/requests-to-twilio"
WEBHOOK_SECURITY = "https://www.twilio.com/docs/usage/webhooks/webhooks-security"
WEBHOOK_SECURITY_GUIDE = "https://www.twilio.com/docs/usage/api-security-reference-guide/webhook"
STATUS_CALLBACKS = "https://www.twilio.com/docs/messaging/guides/track-outbound-message-status"
ERROR_429 = "https://www.twilio.com/docs/api/errors/20429"
TOO_MANY_REQUESTS = (
    "https://support.twilio.com/hc/en-us/articles/"
    "360044308153-Twilio-API-response-Error-429-Too-Many-Requests"
)
PYTHON_SDK = "https://www.twilio.com/docs/libraries/python"
CUSTOM_HTTP_CLIENT = "https://www.twilio.com/docs/libraries/python/custom-http-client-python"
SDK_VERSIONS = "https://github.com/twilio/twilio-python/blob/main/VERSIONS.md"
SDK_CHANGELOG = "https://github.com/twilio/twilio-python/blob/main/CHANGES.md"
SDK_UPGRADE_GUIDE = "https://github.com/twilio/twilio-python/blob/main/UPGRADE.md"
PAGINATION = "https://www.twilio.com/docs/usage/twilios-response"

# The linters' own documentation, for the rule about ``# noqa`` directives.
FLAKE8_NOQA = "https://flake8.pycqa.org/en/latest/user/violations.html#in-line-ignoring-errors"
RUFF_UNUSED_NOQA = "https://docs.astral.sh/ruff/rules/unused-noqa/"
