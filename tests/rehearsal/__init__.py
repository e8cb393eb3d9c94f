"""The 11.11 rehearsal: the whole warehouse on one PostgreSQL under load and faults
(docs/rehearsal.md). `python -m tests.rehearsal --minutes N`."""
