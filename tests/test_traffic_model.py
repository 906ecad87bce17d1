"""The model's traffic section (TWL201–TWL205): resource paths, loops, pacing, created SIDs."""

from __future__ import annotations

import ast
import textwrap

import pytest

from twilio_lint.facts.module import twilio_module
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.knowledge import sdk
from twilio_lint.rules.traffic._loops import TrafficFacts
from twilio_lint.semantic.model import SemanticModel

HEADER = """\
import time
from twilio.rest import Client
client = Client("key", "secret", "account")
"""


def _model(body: str) -> SemanticModel:
    source = HEADER + textwrap.dedent(body)
    return twilio_module(ast.parse(source), source)


def _call(model: SemanticModel, attr: str, nth: int = 0) -> ast.Call:
    calls = [
        call
        for call in model.calls
        if isinstance(call.func, ast.Attribute) and call.func.attr == attr
    ]
    return calls[nth]


@pytest.mark.parametrize(
    ("expr", "path"),
    [
        ("client.messages", ("messages",)),
        ("client.api.v2010.account.messages", ("messages",)),
        ("client.api.v2010.accounts('AC1').calls", ("accounts()", "calls")),
        ("client.calls('CA1').recordings", ("calls()", "recordings")),
        ("client.messages.get('SM1')", ("messages()",)),
        ("client.usage.records.daily", ("usage", "records", "daily")),
    ],
)
def test_resource_path_of_chains(expr: str, path: tuple[str, ...]) -> None:
    model = _model(f"x = {expr}\n")
    value = model.tree.body[-1].value  # type: ignore[attr-defined]
    assert ResourceFacts.of(model).resource_path(value) == path


def test_resource_path_follows_names_and_loop_variables() -> None:
    model = _model(
        """
        calls = client.calls
        for call in calls.list(limit=5):
            call.recordings.list()
        msg = client.messages.create(to="+1", body="x")
        """
    )
    recordings = _call(model, "list", 1).func.value  # type: ignore[attr-defined]
    assert ResourceFacts.of(model).resource_path(recordings) == ("calls()", "recordings")
    assert ResourceFacts.of(model).resource_path(model.tree.body[-1].value) == ("messages()",)  # type: ignore[attr-defined]


def test_resource_path_is_none_for_other_objects() -> None:
    model = _model("other = object()\nx = other.messages\n")
    assert ResourceFacts.of(model).resource_path(model.tree.body[-1].value) is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "high"),
    [
        (("messages",), True),
        (("accounts()", "calls"), True),
        (("usage", "records"), True),
        (("usage", "records", "daily"), True),
        (("studio", "v2", "flows()", "executions"), True),
        (("calls()", "recordings"), False),
        (("conversations", "v1", "conversations()", "messages"), False),
        (("incoming_phone_numbers",), False),
        (("messages()",), False),
        (("records",), False),
    ],
)
def test_high_volume_lists(path: tuple[str, ...], high: bool) -> None:
    assert sdk.is_high_volume_list(path) is high


def test_enclosing_loops_skips_parts_that_run_once() -> None:
    model = _model(
        """
        sids = [m.sid for m in client.messages.list(limit=5)]
        for sid in client.calls.list(limit=5):
            client.calls(sid).fetch()
        else:
            client.messages.list(limit=1)
        """
    )
    assert model.enclosing_loops(_call(model, "list", 0)) == []  # first iterable: once
    assert model.enclosing_loops(_call(model, "list", 1)) == []  # a for's iterable: once
    assert len(model.enclosing_loops(_call(model, "fetch"))) == 1
    assert model.enclosing_loops(_call(model, "list", 2)) == []  # the else: once


def test_same_request_tells_loop_invariant_from_per_item() -> None:
    model = _model(
        """
        for sid in sids:
            client.calls(sid).fetch()
            client.api.v2010.account.fetch()
        """
    )
    loop = model.nodes(ast.For)[0]
    assert not TrafficFacts.of(model).same_request(_call(model, "fetch", 0), loop)
    assert TrafficFacts.of(model).same_request(_call(model, "fetch", 1), loop)


def test_refreshed_record_keeps_its_identity() -> None:
    model = _model(
        """
        call = client.calls.create(to="+1", from_="+2", url="https://example.com")
        while call.status != "completed":
            time.sleep(1)
            call = client.calls(call.sid).fetch()
        """
    )
    fetch = _call(model, "fetch")
    assert TrafficFacts.of(model).polling_loop(fetch) is model.nodes(ast.While)[0]
    assert TrafficFacts.of(model).created_by(fetch.func.value.args[0], fetch) is _call(model, "create")  # type: ignore[attr-defined]


def test_client_per_subaccount_changes_each_round() -> None:
    model = _model(
        """
        for account in client.api.v2010.accounts.list(limit=5):
            sub = Client("key", "secret", account.sid)
            sub.messages.list(limit=5)
        """
    )
    loop = model.nodes(ast.For)[0]
    assert not TrafficFacts.of(model).same_request(_call(model, "list", 1), loop)


@pytest.mark.parametrize(
    ("statement", "paced"),
    [
        ("time.sleep(1)", True),
        ("limiter.acquire()", True),
        ("self.rate_limiter.wait()", True),
        ("bucket.consume(1)", True),
        ("throttle()", True),
        ("s3_bucket.upload_file(path, key)", False),
        ("print(sid)", False),
    ],
)
def test_pacing(statement: str, paced: bool) -> None:
    model = _model(
        f"""
        for sid in sids:
            {statement}
            client.recordings(sid).delete()
        """
    )
    assert TrafficFacts.of(model).is_paced(model.nodes(ast.For)[0]) is paced


def test_with_limiter_paces() -> None:
    model = _model(
        """
        async def purge(sids, limiter):
            for sid in sids:
                async with limiter:
                    await client.recordings(sid).delete_async()
        """
    )
    assert TrafficFacts.of(model).is_paced(model.nodes(ast.For)[0])


def test_retry_attempt_is_not_a_repeat() -> None:
    model = _model(
        """
        for attempt in range(3):
            try:
                call = client.calls("CA1").fetch()
                break
            except Exception:
                time.sleep(2 ** attempt)
        """
    )
    fetch = _call(model, "fetch")
    assert TrafficFacts.of(model).in_retry_attempt(fetch, model.nodes(ast.For)[0])
    assert TrafficFacts.of(model).polling_loop(fetch) is None


def test_created_by_follows_sid_variables_and_attributes() -> None:
    model = _model(
        """
        class Sender:
            def send(self):
                message = client.messages.create(to="+1", body="x")
                self.sid = message.sid

            def check(self):
                return client.messages(self.sid).fetch()

        def direct():
            sid = client.calls.create(to="+1", from_="+2", url="https://e.com").sid
            return client.calls(sid).fetch()
        """
    )
    first, second = (_call(model, "fetch", n) for n in (0, 1))
    assert TrafficFacts.of(model).created_by(first.func.value.args[0], first) is _call(model, "create", 0)  # type: ignore[attr-defined]
    assert TrafficFacts.of(model).created_by(second.func.value.args[0], second) is _call(model, "create", 1)  # type: ignore[attr-defined]


def test_loop_over_a_name_holding_listed_records() -> None:
    model = _model(
        """
        messages = client.messages.list(limit=10)
        for message in messages:
            message.delete()
        """
    )
    assert ResourceFacts.of(model).request_method(_call(model, "delete")) == "delete"


def test_no_client_no_resources() -> None:
    source = "for m in box.messages.list():\n    m.delete()\n"
    model = twilio_module(ast.parse(source), source)
    assert not ResourceFacts.of(model).might_have_resources()
