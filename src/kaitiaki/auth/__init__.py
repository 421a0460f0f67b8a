"""Signing in and out, with throttling of failed attempts."""
