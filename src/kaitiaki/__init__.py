"""Kaitiaki puts an agency's social media policy into practice."""

__version__ = "0.1.0"
