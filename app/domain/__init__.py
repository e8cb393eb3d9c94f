"""Warehouse rules as plain Python over plain data: no Qt, no SQL."""
