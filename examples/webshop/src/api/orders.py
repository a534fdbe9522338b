"""Orders API: list and create orders."""
