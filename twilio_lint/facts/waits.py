"""Calls that wait: sleeps, rate limiters and token buckets (what paces a loop or a retry)."""

from __future__ import annotations

import ast

from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import SemanticModel


def is_pause(module: SemanticModel, call: ast.AST, rate_limiters: bool = False) -> bool:
    """A call that waits: ``time.sleep``, ``asyncio.sleep``… (``sdk.SLEEP_FUNCTIONS``).
    With ``rate_limiters`` also a rate limiter or token bucket (``limiter.acquire()``,
    ``bucket.consume(1)``, ``throttle()``: ``sdk.RATE_LIMITER_HINTS``) or any ``*sleep*``."""
    if isinstance(call, ast.Await):
        call = call.value
    if not isinstance(call, ast.Call):
        return False
    if module.is_qualname(call.func, sdk.SLEEP_FUNCTIONS):
        return True
    if not rate_limiters:
        return False
    words = callee_words(call.func)
    return "sleep" in words or names_rate_limiter(words)


def callee_words(expr: ast.AST) -> str:
    """The lower-cased names along a callee (``self.rate_limiter.acquire`` → its parts)."""
    words = []
    while True:
        if isinstance(expr, ast.Attribute):
            words.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Await):
            expr = expr.value
        else:
            if isinstance(expr, ast.Name):
                words.append(expr.id)
            return " ".join(words).lower()


def names_rate_limiter(words: str) -> bool:
    """``limiter.acquire``, ``throttle``, ``bucket.consume`` (words from ``callee_words``)."""
    if any(hint in words for hint in sdk.RATE_LIMITER_HINTS):
        return True
    method = words.split(" ", 1)[0]
    return "bucket" in words and method in sdk.TOKEN_BUCKET_METHODS
