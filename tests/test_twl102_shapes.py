"""The credential-shape helpers TWL102 relies on (``twilio_lint.knowledge.sdk``), and the masking of
quoted source lines. Realistic values come from ``tests.helpers.FAKE`` (built at run time)."""

from __future__ import annotations

import pytest

from tests.helpers import FAKE
from twilio_lint import masking
from twilio_lint.knowledge import credentials

TOKEN, SECRET = FAKE["FAKE_AUTH_TOKEN"], FAKE["FAKE_API_SECRET"]
ACCOUNT, KEY = FAKE["FAKE_ACCOUNT_SID"], FAKE["FAKE_API_KEY_SID"]


@pytest.mark.parametrize(
    "value",
    [
        "AC" + "X" * 32,
        "AC" + "x" * 32,
        "AC" + "b" * 32,
        "AC" + "a" * 32,
        "AC" + "0123456789abcdef" * 2,
        "SK" + "X" * 32,
        "your_auth_token",
        "[AuthToken]",
        "<token>",
        "${TWILIO_AUTH_TOKEN}",
        "{{ twilio_auth_token }}",
        "%(auth_token)s",
        "1234567890" * 3 + "12",
        "aaaabbbbccccddddeeeeffff00001111",
        "your_api_secret_goes_here_please",
    ],
)
def test_placeholders_are_not_credentials(value: str):
    assert credentials.is_placeholder_credential(value)
    assert not credentials.is_secret_value(value)
    assert not credentials.is_secret_value(value, exact_shape=False)


@pytest.mark.parametrize("value", [TOKEN, SECRET])
def test_realistic_secrets_are(value: str):
    assert credentials.is_secret_value(value)


def test_short_values_resource_sids_and_sids_are_not_secrets():
    assert not credentials.is_secret_value(TOKEN[:31])
    for prefix in ("MG", "PN", "VA", "AP", "AC", "SK"):
        assert not credentials.is_secret_value(prefix + TOKEN, exact_shape=False)


def test_sid_shapes():
    assert [m.group(0) for m in credentials.CREDENTIAL_SID_RE.finditer(f"/Accounts/{ACCOUNT}/x")] == [
        ACCOUNT
    ]
    assert credentials.is_real_sid(ACCOUNT[:2], ACCOUNT[2:]) and credentials.is_real_sid(KEY[:2], KEY[2:])
    assert not credentials.CREDENTIAL_SID_RE.search("MG" + TOKEN)
    assert not credentials.CREDENTIAL_SID_RE.search(ACCOUNT + "ff")  # a longer hex run is not a SID


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("TWILIO_AUTH_TOKEN", "token"),
        ("auth_token", "token"),
        ("authToken", "token"),
        ("TWILIO_API_SECRET", "secret"),
        ("apiSecret", "secret"),
        ("TWILIO_SECRET", "secret"),
        ("TWILIO_PASSWORD", "token"),
        ("SECRET_KEY", None),
        ("token_hash", None),
        ("expected_md5", None),
        ("next_page_token", None),
        ("csrf_token", None),
        ("account_sid", None),
        ("api_key", None),
        ("cache_key", None),
    ],
)
def test_secret_kind_of_name(name: str, kind: str | None):
    assert credentials.secret_kind_of_name(name) == kind


def test_mask_shows_four_characters():
    assert masking.mask_secret(TOKEN) == TOKEN[:4] + "…"


def test_redact_source_line_masks_credentials_and_moves_the_caret():
    line = f'client = Client("{KEY}", "{SECRET}", account)'
    start = line.index(f'"{SECRET}"')
    text, new_start, new_end = masking.redact_source_line(line, start, start + len(SECRET) + 2, True)
    assert KEY not in text and SECRET not in text
    assert text == f'client = Client("{KEY[:4]}…", "{SECRET[:4]}…", account)'
    assert text[new_start:new_end] == f'"{SECRET[:4]}…"'


def test_redact_source_line_leaves_ordinary_code_alone():
    line = "client.messages.create(to=number, body=text)"
    assert masking.redact_source_line(line, 0, 6, False) == (line, 0, 6)
