"""Relais: a chatbot that helps people back to work."""

__version__ = "0.1.0"
