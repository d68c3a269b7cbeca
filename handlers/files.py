"""Downloads uploads from Telegram for the document pipeline (getFile, then the file path)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from intake.documents.pipeline import FileUnavailable

__all__ = ["TelegramFiles"]


class TelegramFiles:
    """`FileSource` over the Bot API; refuses files over the limit before downloading."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        try:
            file = await self._bot.get_file(file_id)
            if file.file_size is not None and file.file_size > max_bytes:
                raise FileUnavailable("too_large_bytes", permanent=True)
            data = bytes(await file.download_as_bytearray())
        except BadRequest as exc:
            too_big = "too big" in str(exc).lower()
            raise FileUnavailable(
                "too_large_bytes" if too_big else "unavailable", permanent=True
            ) from None
        except (TimedOut, NetworkError):
            raise FileUnavailable("unavailable", permanent=False) from None
        if len(data) > max_bytes:
            raise FileUnavailable("too_large_bytes", permanent=True)
        return data
