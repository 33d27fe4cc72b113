"""Per section the spec names, the guide's headings that may hold it, by the words of the headings."""

from __future__ import annotations

import re

from acceptance.delivery import headings as markdown_headings
from acceptance.draft.guess import Guess, missing

# Per section, the words (or starts of words) a heading for it holds, the likeliest first.
SECTION_WORDS = {
    "Prerequisites": ("prerequisite", "requirement", "before you", "requires", "needs", "what you need"),
    "Deployment steps": ("deployment steps", "deploy", "install", "quick start", "getting started", "usage", "steps"),
    "Verification": ("verif", "check", "works", "smoke", "test", "validat"),
    "Troubleshooting": ("troubleshoot", "wrong", "problem", "debug", "issue", "fail", "faq"),
    "Tuning": ("tuning", "tune", "performance", "scal", "resource", "sizing", "configur"),
}
MOST = 3


def said(markdown: str) -> set[str]:
    """The sections some heading of markdown says."""
    return {section for section, guess in sections(markdown).items() if guess.found}


def sections(markdown: str) -> dict[str, Guess]:
    """Per section, up to three headings in order of how well they say it; the seed's own title when none does."""
    found = [heading for heading in markdown_headings.headings(markdown) if heading.level > 1] or markdown_headings.headings(markdown)
    guesses = {}
    for section, known in SECTION_WORDS.items():
        ranked = sorted(((index, heading.start, heading.title) for heading in found
                         for index, word in enumerate(known) if re.search(rf"\b{re.escape(word)}", heading.title.lower())), key=lambda entry: entry[:2])
        titles = list(dict.fromkeys(title for _, _, title in ranked))[:MOST]
        guesses[section] = (Guess(titles, f"headings that say {section.lower()}; the first present is read")
                            if titles else missing([section], "no heading says it; the seed's title"))
    return guesses
