"""Where the shipped resources live (icons, sounds, translations, region data): the package
`packline_resources`, which is the repository's `resources/` folder (setup.py maps it), so
they are found the same way from a source checkout (an editable install), an installed wheel
and the frozen build, whose bundle carries the package's files beside its modules."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGE = "packline_resources"


def resources_dir() -> Path:
    """The folder of the shipped resources. Every install keeps them as plain files (never
    inside a zip), so a path is what Qt, the sound player and the CSV reader are given."""
    try:
        found = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:  # a checkout on PYTHONPATH, not installed
        return Path(__file__).resolve().parent.parent / "resources"
    return Path(str(found))


def resource_path(*parts: str) -> Path:
    """One shipped file: `resource_path("regions", "regions.csv")`."""
    return resources_dir().joinpath(*parts)
