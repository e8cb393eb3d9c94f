"""The station ↔ centre contract (`app.sync.contract`)."""
