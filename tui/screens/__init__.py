"""Screens shown over the tutor: help and the lesson chooser."""
