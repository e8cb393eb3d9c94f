"""Device drivers: scanners, scales and printer transports. Bytes in, events out; documents in,
bytes out. Nothing here imports from `app/`, PySide6 or SQLAlchemy."""
