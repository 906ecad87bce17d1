"""The one fixpoint: facts that flow through assignments (``x = make(); y = x``)."""

from __future__ import annotations

from collections.abc import Callable, Sized

#: Chains seen in practice (factory → global → attribute) settle in three rounds.
MAX_ROUNDS = 3


def propagate(
    step: Callable[[], None], *facts: Sized, rounds: int | None = MAX_ROUNDS
) -> None:
    """Run ``step`` until none of ``facts`` (growing sets or dicts) grows, at most ``rounds``
    times (``None``: until nothing grows; the facts must be finite). ``step`` adds what
    follows from what is known so far."""
    done = 0
    while rounds is None or done < rounds:
        before = [len(fact) for fact in facts]
        step()
        done += 1
        if [len(fact) for fact in facts] == before:
            return
