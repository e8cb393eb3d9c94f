"""The `packline` command: IT's and automation's door to the same services the screens use."""
