"""Use cases: one function per user action. Each checks the actor's role, runs one unit of work,
and returns a result the screen or the CLI shows. Screens never touch the store directly."""
