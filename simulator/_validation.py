"""Parameters as Telegram reads them: typed getters over query, form, multipart or JSON values."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator._errors import BotApiError, bad_request

JsonObject = dict[str, Any]
_INT = re.compile(r"-?[0-9]{1,19}")
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """A method's parameters; form values are strings, JSON values keep their JSON type."""

    def __init__(self, values: Mapping[str, object], files: Mapping[str, UploadedFile]) -> None:
        self._values = dict(values)
        self._files = dict(files)

    @property
    def values(self) -> dict[str, object]:
        return dict(self._values)

    @property
    def files(self) -> dict[str, UploadedFile]:
        return dict(self._files)

    def _get(self, name: str, required: bool | str) -> object | None:
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                detail = (
                    required if isinstance(required, str) else f'parameter "{name}" is required'
                )
                raise bad_request(detail)
            return None
        return value

    def has(self, name: str) -> bool:
        return self._values.get(name) not in (None, "") or name in self._files

    def get_int(self, name: str, *, required: bool | str = False) -> int | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            return int(value)
        raise _wrong_type(name, "Integer")

    def get_float(self, name: str, *, required: bool | str = False) -> float | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str) and _FLOAT.fullmatch(value.strip()):
            return float(value)
        raise _wrong_type(name, "Float")

    def get_str(self, name: str, *, required: bool | str = False) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # Telegram accepts numbers where it wants strings
        raise _wrong_type(name, "String")

    def get_bool(self, name: str) -> bool:
        value = self._get(name, required=False)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0"}:
            return value.lower() in {"true", "1"}
        if isinstance(value, int):
            return value != 0
        raise _wrong_type(name, "Boolean")

    def get_json(
        self, name: str, *, required: bool | str = False, error: str | None = None
    ) -> Any:
        """A JSON-serialized object or array (or the JSON value itself in a JSON body)."""
        value = self._get(name, required)
        if value is None or isinstance(value, (dict, list)):
            return value
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error or f"can't parse {name} JSON object") from None
        raise bad_request(error or f"can't parse {name} JSON object")

    def get_object(self, name: str, *, error: str | None = None) -> JsonObject | None:
        value = self.get_json(name, error=error)
        if value is not None and not isinstance(value, dict):
            raise bad_request(error or f'field "{name}" must be an Object')
        return value

    def get_array(self, name: str, *, required: bool | str = False) -> list[Any] | None:
        value = self.get_json(name, required=required)
        if value is not None and not isinstance(value, list):
            raise bad_request(f'field "{name}" must be an Array')
        return value

    def get_chat_id(self, name: str = "chat_id") -> int:
        """A chat id; @usernames are accepted by Telegram but name no chat here."""
        value = self._get(name, required="chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            if _INT.fullmatch(value.strip()):
                return int(value)
            raise bad_request("chat not found")
        raise _wrong_type(name, "Integer")

    def get_file(self, name: str) -> UploadedFile | str | None:
        """An InputFile part, an attach:// reference, or a file_id / URL string."""
        if name in self._files:
            return self._files[name]
        value = self.get_str(name)
        if value is not None and value.startswith("attach://"):
            return self.attached(value)
        return value

    def attached(self, reference: str) -> UploadedFile:
        part = self._files.get(reference.removeprefix("attach://"))
        if part is None:
            raise bad_request(f"file of {reference} not found in the request")
        return part


def _wrong_type(name: str, type_name: str) -> BotApiError:
    return bad_request(f'field "{name}" must be of type {type_name}')
