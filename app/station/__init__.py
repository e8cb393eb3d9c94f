"""The station's own store, `station.db` in its data folder: the print queue and the outbox of
events on their way to the central database (and, with the sync work, cached reference data and
work). It has its own tables and migrations, kept apart from the central schema even when the
embedded central database is the same file."""
