"""Packline: the warehouse workstation. `__version__` is the installed distribution's version
(pyproject.toml), the one About, `packline --version`, the logs and the station's report to
the centre all show."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("packline")
except PackageNotFoundError:  # a checkout on PYTHONPATH that was never installed
    __version__ = "0+unknown"
