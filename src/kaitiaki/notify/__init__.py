"""Outgoing notifications (email)."""
