"""Packline's shipped resources (icons, sounds, translations, region data), installed as the
package `packline_resources` (setup.py); read through `app.resources`."""
