"""Forgetting a submission's details in the messages already written: a staff alert, a batch
of alerts or a digest names the household and its parcel (never an ID number) beside the
receipt. When a resident's data is erased (`/delete`), every such value said about one of
their receipts — in the message's parameters, or in a line or button that carries the receipt
— becomes "—" in the outbox rows of the commune's staff and of the resident's own chat; the
receipt and the rest of the message stay. (The copies Telegram already delivered are the
recipients' own.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Button, Keyboard
from intake.notify._outbox import OutboxMessage
from intake.notify._tell import OFFICER_ALERT_WINDOW
from storage.deps import Deps
from storage.repositories import outbox as rows

__all__ = ["ERASED_VALUE", "forget_in_outbox"]

ERASED_VALUE = "—"


async def forget_in_outbox(
    session: AsyncSession,
    deps: Deps,
    said: Mapping[str, frozenset[str]],
    *,
    chat_ids: Sequence[int],
    commune_ids: Sequence[int],
    since: datetime,
) -> int:
    """Replace, in the rows written since `since` (and in an officers' batch of alerts opened
    up to `OFFICER_ALERT_WINDOW` before it, which took in the alerts that followed), the
    values `said[receipt]` wherever they are said about that receipt; returns how many rows
    were rewritten."""
    said = {receipt: values for receipt, values in said.items() if values}
    if not said:
        return 0
    rewritten = 0
    for row_id, payload in await rows.payloads_since(
        session,
        deps.fields,
        chat_ids=chat_ids,
        commune_ids=commune_ids,
        since=since - OFFICER_ALERT_WINDOW,
    ):
        if not any(receipt in payload for receipt in said):
            continue
        message = OutboxMessage.from_json(payload)
        forgotten = _forget_message(message, said)
        if forgotten != message:
            await rows.rewrite_payload(session, deps.fields, row_id, forgotten.to_json())
            rewritten += 1
    return rewritten


def _forget_message(message: OutboxMessage, said: Mapping[str, frozenset[str]]) -> OutboxMessage:
    params = _forget(message.params, said, frozenset())
    keyboard = message.keyboard
    if keyboard is not None:
        keyboard = Keyboard(
            keyboard.kind,
            tuple(tuple(_forget_button(b, said) for b in row) for row in keyboard.rows),
        )
    return replace(message, params=params, keyboard=keyboard)


def _forget_button(button: Button, said: Mapping[str, frozenset[str]]) -> Button:
    values = said.get(str(button.params.get("receipt", "")), frozenset())
    literal = button.literal
    if literal is not None and any(value in literal for value in values):
        for value in values:
            literal = literal.replace(value, ERASED_VALUE)
    params = _forget(dict(button.params), said, frozenset())
    return replace(button, literal=literal, params=params)


def _forget(value: Any, said: Mapping[str, frozenset[str]], values: frozenset[str]) -> Any:
    """`value` with `values` (those of the receipt of the nearest enclosing mapping that names
    one) replaced."""
    if isinstance(value, Mapping):
        receipt = value.get("receipt")
        if isinstance(receipt, str) and receipt in said:
            values = said[receipt]
        return {key: _forget(item, said, values) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_forget(item, said, values) for item in value]
    if isinstance(value, str) and value in values:
        return ERASED_VALUE
    return value
