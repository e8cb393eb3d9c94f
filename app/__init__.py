"""Packline: the warehouse workstation for the order queue, waves, packing and printing."""

__version__ = "0.1.0"
