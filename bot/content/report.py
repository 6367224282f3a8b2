"""`python -m bot sources --report`: per source, the answers and red flags that rest on it."""

from __future__ import annotations

from collections.abc import Iterator

from bot.content.model import Content, Response, Source, Variant


def registry(content: Content) -> str:
    """One line per registered source: id, title, publisher, review date and interval, URL."""
    return "\n".join(_heading(source) for source in content.sources.values())


def report(content: Content) -> str:
    """For each source, what to re-read when its page changes: answers (with sections) and red flags."""
    return "\n\n".join("\n".join(_source_block(content, source))
                       for source in content.sources.values())


def _heading(source: Source) -> str:
    url = f" {source.url}" if source.url else ""
    return (f"{source.id}: {source.title} ({source.publisher}), reviewed {source.reviewed}, "
            f"re-read every {source.review_interval_days} days{url}")


def _source_block(content: Content, source: Source) -> Iterator[str]:
    yield _heading(source)
    answers = [(response, variant) for response in content.responses.values()
               for variant in response.variants if source.id in variant.sources]
    yield f"  answers ({len(answers)}):"
    for response, variant in answers:
        yield f"    {_answer_line(response, variant, source)}"
    flags = [flag for flag in content.triage.red_flags if source.id in flag.sources]
    yield f"  red flags ({len(flags)}):"
    for flag in flags:
        yield f"    {flag.name} ({flag.level}) {flag.where}"


def _answer_line(response: Response, variant: Variant, source: Source) -> str:
    site = f" [site={variant.condition['site']}]" if "site" in variant.condition else ""
    sections = ", ".join(c.section for c in variant.trace.claims if c.source == source.id)
    reviewed = variant.trace.reviewed or "never"
    return (f"{response.name}{site} {variant.where}: sections {sections or 'none'}; "
            f"reviewed {reviewed}")
