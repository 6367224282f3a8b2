"""`python -m bot report`: the questions the bot could not answer, grouped by the closest intent."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict

from bot.store.connect import Store

logger = logging.getLogger(__name__)

# Examples shown under each intent; the counts cover them all.
SHOWN = 10


async def unanswered_report(store: Store, since: dt.datetime) -> str:
    """Counts per closest intent, most asked first, each with its most frequent wordings.

    The store keeps these questions without a chat id, and the patient's name taken out.
    """
    groups: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for closest, text in await store.unanswered_since(since):
        groups[closest][" ".join(text.split())] += 1
    total = sum(sum(texts.values()) for texts in groups.values())
    lines = [f"Questions the bot could not answer since {since:%Y-%m-%d %H:%M} UTC: {total}"]
    for closest, texts in sorted(groups.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        lines.append(f"\n{closest}: {sum(texts.values())}")
        lines.extend(f"  {count} x {text}" for text, count in texts.most_common(SHOWN))
    return "\n".join(lines)
