"""The PySide6 screens. They call services, never the store, and never wait on I/O."""
