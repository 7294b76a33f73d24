"""Resettle: the open platform of the multilateral resettlement forums."""

__version__ = "0.1.0"
