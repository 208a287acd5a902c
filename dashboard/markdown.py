"""Text from data in Markdown (chart captions, notes, links): shown as literal text, or as one link and nothing
else. Plain Python: the pages and the registry's captions use it alike."""

from __future__ import annotations

import re
from urllib.parse import quote

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def md_escape(text: object) -> str:
    """Text from data shown as literal text in Markdown (no links, HTML, or $maths$)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


_WEB_ADDRESS = re.compile(r"^https?://[^\s/]", re.IGNORECASE)
_ENDS_A_LINK = re.compile(r"[\s()\[\]<>\"'\\`]")


def md_link(text: object, url: object) -> str:
    """A Markdown link to a web address from data that stays one link and nothing else.

    Only http(s) targets are linked, with every character that could close the link or start another
    element percent-encoded (an address like ``https://a.org/x)![](https://b.org/pixel)`` from a data file
    must not become an image fetched from elsewhere); anything else is shown as plain text.
    """
    target = "" if url is None or url != url else str(url)
    if not _WEB_ADDRESS.match(target):
        return md_escape(text)
    return f"[{md_escape(text)}]({_ENDS_A_LINK.sub(lambda m: quote(m.group(), safe=''), target)})"
