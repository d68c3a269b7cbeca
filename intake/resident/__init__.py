"""The resident's side: the desk that handles one event of a resident's chat in one
transaction (the flow's step, its effects, the draft saved), the answer to an officer's request
for a page ("needs info"), `/status`, `/withdraw` and `/mydata`, consent evidence, `/delete`,
the janitor of idle drafts, and the province's directory of communes and villages the flow
searches."""

from intake.resident._desk import Outcome, ResidentDesk
from intake.resident._directory import DirectoryCache, load_directory
from intake.resident._janitor import DraftJanitor, JanitorPass

__all__ = [
    "DirectoryCache",
    "DraftJanitor",
    "JanitorPass",
    "Outcome",
    "ResidentDesk",
    "load_directory",
]
