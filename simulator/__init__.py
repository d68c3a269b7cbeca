"""A local stand-in for the Telegram Bot API, with a web chat page and a test driver."""

from simulator._app import create_app
from simulator._clock import Clock, ManualClock, ScaledClock
from simulator._errors import BotApiError, UserActionError
from simulator._limits import FloodLimits
from simulator._simulator import (
    SIMULATOR_KEY,
    ApiExchange,
    Recorder,
    Simulator,
    SimulatorConfig,
)
from simulator.driver import (
    Button,
    CallbackAnswer,
    Chat,
    ChatMessage,
    SimulatorServer,
    UserSession,
)

__all__ = [
    "SIMULATOR_KEY",
    "ApiExchange",
    "BotApiError",
    "Button",
    "CallbackAnswer",
    "Chat",
    "ChatMessage",
    "Clock",
    "FloodLimits",
    "ManualClock",
    "Recorder",
    "ScaledClock",
    "Simulator",
    "SimulatorConfig",
    "SimulatorServer",
    "UserActionError",
    "UserSession",
    "create_app",
]
