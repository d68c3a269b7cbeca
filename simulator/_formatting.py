"""Text as Telegram measures and marks it: UTF-16 lengths, HTML parse mode, command entities."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_CHAR_REF = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


class EntityParseError(ValueError):
    """The text is not valid in its parse mode; the message is Telegram's."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate is one unit


@dataclass
class _Open:
    tag: str
    offset: int
    attrs: dict[str, str]
    language: str | None = None


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(raw)
    }


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _entity_type(tag: str, attrs: dict[str, str]) -> str | None:
    if tag == "span":
        return "spoiler" if attrs.get("class") == "tg-spoiler" else None
    if tag == "a":
        return "text_link"
    if tag == "blockquote" and "expandable" in attrs:
        return "expandable_blockquote"
    return _SIMPLE_TAGS.get(tag)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Strip Telegram's HTML tags into plain text plus MessageEntity dicts."""
    out: list[str] = []
    length = 0  # UTF-16 units written so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            i = _tag(text, i, stack, length, entities)
            continue
        if char == "&":
            ref = _CHAR_REF.match(text, i)
            if ref is not None:
                char = html.unescape(ref.group(0))
                i = ref.end()
            else:
                i += 1
        else:
            i += 1
        out.append(char)
        length += utf16_len(char)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _tag(text: str, i: int, stack: list[_Open], length: int, entities: list[Any]) -> int:
    """Open or close the tag at text[i]; the index after it."""
    match = _TAG.match(text, i)
    if match is None:
        raise EntityParseError(
            f"Can't find end of the tag starting at byte offset {_byte_offset(text, i)}"
        )
    closing, tag, raw_attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
    if closing:
        if not stack or stack[-1].tag != tag:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, i)}")
        _close(stack.pop(), stack, length, entities)
        return match.end()
    attrs = _attrs(raw_attrs)
    if _entity_type(tag, attrs) is None:
        raise EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, i)}'
        )
    if tag == "a" and not attrs.get("href"):
        raise EntityParseError("Can't parse URL of the link")
    stack.append(_Open(tag, length, attrs))
    return match.end()


def _close(opened: _Open, stack: list[_Open], end: int, entities: list[dict[str, Any]]) -> None:
    kind = _entity_type(opened.tag, opened.attrs)
    css = opened.attrs.get("class", "")
    if opened.tag == "code" and stack and stack[-1].tag == "pre" and css.startswith("language-"):
        # <pre><code class="language-x"> is one pre entity with a language, as Telegram does.
        stack[-1].language = css.removeprefix("language-")
        return
    if end == opened.offset or kind is None:
        return
    entity: dict[str, Any] = {"offset": opened.offset, "length": end - opened.offset, "type": kind}
    if kind == "text_link":
        entity["url"] = opened.attrs["href"]
    if kind == "pre" and opened.language:
        entity["language"] = opened.language
    entities.append(entity)


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for every /command in a user's text, as clients mark them."""
    entities = []
    for match in _COMMAND.finditer(text):
        entities.append(
            {
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
                "type": "bot_command",
            }
        )
    return entities
