"""The message catalog, one part per audience (residents, village and commune staff, province
admins), and `render`, which fills a text in the reader's language.

One key per message; placeholders use `str.format` names. A test fails when a key misses a
language, the languages disagree on placeholders, or two audiences define the same key.
Vietnamese texts use no English words.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from intake.language import _admin, _console, _resident, _staff
from intake.language._languages import Language

__all__ = ["CATALOG", "PARTS", "placeholders", "render"]

# each audience's texts, for the test that no key is defined twice
PARTS: dict[str, dict[str, dict[Language, str]]] = {
    "resident": _resident.TEXTS,
    "staff": _staff.TEXTS,
    "admin": _admin.TEXTS,
    "console": _console.TEXTS,
}
CATALOG: dict[str, dict[Language, str]] = {
    key: texts for part in PARTS.values() for key, texts in part.items()
}


def render(language: Language | str, key: str, params: Mapping[str, object] | None = None) -> str:
    """The text of `key` in `language`, with its placeholders filled.

    A parameter named `x_key` holds another catalog key, rendered into `{x}`; one named `x_keys`
    holds a list of keys, rendered and joined into `{x}` with commas; one named `x_lines` holds
    (key, params) pairs, rendered and joined into `{x}` line by line.
    """
    texts = CATALOG[key]
    template = texts.get(Language(language), texts[Language.VI])
    if not params:
        return template
    values: dict[str, object] = {}
    for name, value in params.items():
        if name.endswith("_lines") and isinstance(value, list | tuple):
            values[name.removesuffix("_lines")] = "\n".join(
                render(language, item_key, item_params) for item_key, item_params in value
            )
        elif name.endswith("_keys") and isinstance(value, list | tuple):
            values[name.removesuffix("_keys")] = ", ".join(render(language, str(k)) for k in value)
        elif name.endswith("_key"):
            values[name.removesuffix("_key")] = render(language, str(value))
        else:
            values[name] = value
    return template.format(**values)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
