"""A checker of Bot API traffic against the Bot API description in shared/telegram-bot-api."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from simulator import ApiExchange

API_JSON = Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.json"
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SCALARS = {"Integer", "Float", "String", "Boolean", "True", "InputFile"}


class ApiSchema:
    """Methods and types of one Bot API version, and checks of values against them."""

    def __init__(self, path: Path = API_JSON) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.version: str = data["version"]
        self.methods: dict[str, Any] = data["methods"]
        self.types: dict[str, Any] = data["types"]

    # ---- typed JSON values (results, updates, JSON-serialized parameters) ----------------------

    def check_value(self, value: Any, types: list[str], path: str) -> list[str]:
        """Errors of `value` against the first of `types` it fits best; [] when one fits."""
        best: list[str] | None = None
        for type_name in types:
            errors = self._check_one(value, type_name, path)
            if not errors:
                return []
            if best is None or len(errors) < len(best):
                best = errors
        return best or [f"{path}: no type given"]

    def _check_one(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{path}: expected {type_name}, got {type(value).__name__}"]
            inner = type_name.removeprefix("Array of ")
            return [
                e
                for i, item in enumerate(value)
                for e in self._check_one(item, inner, f"{path}[{i}]")
            ]
        if type_name in _SCALARS:
            return (
                []
                if _scalar_ok(value, type_name)
                else [f"{path}: expected {type_name}, got {value!r:.60}"]
            )
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{path}: unknown type {type_name}"]
        if "subtypes" in spec:
            return self.check_value(value, spec["subtypes"], path)
        if not isinstance(value, dict):
            return [f"{path}: expected {type_name} object, got {type(value).__name__}"]
        fields = {field["name"]: field for field in spec.get("fields", [])}
        errors = [
            f"{path}.{name}: not a field of {type_name}" for name in value if name not in fields
        ]
        for name, field in fields.items():
            if name not in value:
                if field["required"]:
                    errors.append(f"{path}.{name}: required field of {type_name} missing")
                continue
            errors += self.check_value(value[name], field["types"], f"{path}.{name}")
        return errors

    # ---- requests as sent: strings in forms, files as parts -----------------------------------

    def check_request(
        self, method: str, params: dict[str, object], files: dict[str, str | None]
    ) -> list[str]:
        spec = self.methods.get(method)
        if spec is None:
            return [f"{method}: no such method in {self.version}"]
        fields = {field["name"]: field for field in spec.get("fields", [])}
        errors = [f"{method}({name}): unknown parameter" for name in params if name not in fields]
        for name, field in fields.items():
            present = name in params or name in files
            if field["required"] and not present:
                errors.append(f"{method}({name}): required parameter missing")
            if name in params:
                errors += self._check_param(params[name], field["types"], f"{method}({name})")
            elif name in files and "InputFile" not in " ".join(field["types"]):
                errors.append(f"{method}({name}): a file part for a non-file parameter")
        attached = json.dumps(params)
        for part in files:
            if part not in fields and f"attach://{part}" not in attached:
                errors.append(f"{method}: file part {part!r} is referenced by no parameter")
        return errors

    def _check_param(self, value: object, types: list[str], path: str) -> list[str]:
        if not isinstance(value, str):
            return self.check_value(value, types, path)  # a JSON body keeps JSON types
        if "String" in types or any(t == "InputFile" for t in types):
            return []
        for scalar in ("Integer", "Float", "Boolean", "True"):
            if scalar in types and _form_scalar_ok(value, scalar):
                return []
        try:
            decoded = json.loads(value)
        except ValueError:
            return [f"{path}: {value!r:.60} fits none of {types}"]
        return self.check_value(decoded, types, path)

    # ---- whole exchanges ------------------------------------------------------------------------

    def check_response(self, method: str, status: int, body: dict[str, Any]) -> list[str]:
        if body.get("ok") is True:
            errors = [] if status == 200 else [f"{method}: ok with HTTP {status}"]
            spec = self.methods.get(method)
            if spec is None:
                return [*errors, f"{method}: no such method"]
            return errors + self.check_value(body.get("result"), spec["returns"], f"{method}->")
        errors = []
        if body.get("ok") is not False or set(body) - {
            "ok",
            "error_code",
            "description",
            "parameters",
        }:
            errors.append(f"{method}: error body has unexpected shape {body}")
        if body.get("error_code") != status or not isinstance(body.get("description"), str):
            errors.append(f"{method}: error_code/description do not match HTTP {status}")
        if "parameters" in body:
            errors += self.check_value(body["parameters"], ["ResponseParameters"], f"{method}!")
        return errors

    def check_exchange(self, exchange: ApiExchange) -> list[str]:
        """The response always; the request when it succeeded (failures test bad requests)."""
        errors = self.check_response(exchange.method, exchange.status, exchange.response)
        if exchange.status == 200:
            errors += self.check_request(exchange.method, exchange.params, exchange.files)
        return errors


def _scalar_ok(value: Any, type_name: str) -> bool:
    if type_name == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "String":
        return isinstance(value, str)
    if type_name == "Boolean":
        return isinstance(value, bool)
    if type_name == "True":
        return value is True
    return False  # InputFile never appears in a result


def _form_scalar_ok(value: str, type_name: str) -> bool:
    if type_name == "Integer":
        return bool(_INT.fullmatch(value))
    if type_name == "Float":
        return bool(_FLOAT.fullmatch(value))
    return value in {"true", "false"} if type_name == "Boolean" else value == "true"
