"""Rendering of results: terminal, Markdown, HTML with plots, JSON. No computation here."""
