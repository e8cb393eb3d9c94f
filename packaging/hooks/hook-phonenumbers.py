"""Packline's hook for phonenumbers, in place of the contributed one that bundles every
submodule: the metadata of each region, loaded by name on first use, and not the geocoder,
carrier and time-zone tables (40 MB) the app never asks for."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = [*collect_submodules("phonenumbers.data"),
                 *collect_submodules("phonenumbers.shortdata")]
