"""The flood guard: answers, then one notice, then quiet, per chat and per window."""

from __future__ import annotations

from bot.telegram.flood import FloodGuard, Pace


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_past_the_limit_one_notice_then_quiet_until_the_window_passes() -> None:
    clock = Clock()
    guard = FloodGuard(limit=3, window=10.0, clock=clock)
    paces = []
    for _ in range(6):
        paces.append(guard.pace("a"))
        clock.now += 1
    assert paces == [Pace.ANSWER] * 3 + [Pace.NOTICE, Pace.QUIET, Pace.QUIET]
    assert guard.pace("b") is Pace.ANSWER
    clock.now += 10
    assert guard.pace("a") is Pace.ANSWER


def test_a_steady_pace_is_never_a_flood() -> None:
    clock = Clock()
    guard = FloodGuard(limit=3, window=10.0, clock=clock)
    for _ in range(20):
        assert guard.pace("a") is Pace.ANSWER
        clock.now += 4
