"""Cryo companion: a patient companion for cryotherapy, driven by reviewed content."""
