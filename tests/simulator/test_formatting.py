"""HTML parse mode and UTF-16 lengths, as Telegram counts them."""

from __future__ import annotations

import pytest

from simulator._formatting import EntityParseError, command_entities, parse_html, utf16_len


def test_utf16_length() -> None:
    assert utf16_len("Tiếng Việt") == 10
    assert utf16_len("😀") == 2


def test_html_to_entities() -> None:
    text, entities = parse_html(
        '😀 <b>Hồ <i>sơ</i></b> &lt;1&gt; <a href="https://x.vn">link</a> '
        '<pre><code class="language-py">x</code></pre> <span class="tg-spoiler">s</span>'
    )
    assert text == "😀 Hồ sơ <1> link x s"
    assert entities == [
        {"offset": 3, "length": 5, "type": "bold"},
        {"offset": 6, "length": 2, "type": "italic"},
        {"offset": 13, "length": 4, "type": "text_link", "url": "https://x.vn"},
        {"offset": 18, "length": 1, "type": "pre", "language": "py"},
        {"offset": 20, "length": 1, "type": "spoiler"},
    ]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("a<br>", 'Unsupported start tag "br" at byte offset 1'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", "Unexpected end tag at byte offset 4"),
        ("ệ < b", "Can't find end of the tag starting at byte offset 4"),
        ("<a>x</a>", "Can't parse URL of the link"),
    ],
)
def test_html_errors(html: str, error: str) -> None:
    with pytest.raises(EntityParseError, match=error):
        parse_html(html)


def test_command_entities() -> None:
    assert command_entities("/start v42") == [{"offset": 0, "length": 6, "type": "bot_command"}]
    assert command_entities("xem /help@hoso_bot nhé") == [
        {"offset": 4, "length": 14, "type": "bot_command"}
    ]
    assert command_entities("a/b http://x/y") == []
