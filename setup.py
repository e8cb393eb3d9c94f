"""The packages of the distribution. Everything else is in pyproject.toml; this file exists
because the shipped resources stay in the repository's top-level `resources/` folder while
they are installed as the package `packline_resources`, which pyproject.toml alone cannot say
beside a package search."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["app", "app.*", "drivers", "drivers.*"]),
              "packline_resources"],
    package_dir={"packline_resources": "resources"},
)
