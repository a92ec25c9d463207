"""Enforcement documents (执法文书): numbered, rendered as PDF from the records, verifiable.

Numbering (``numbering.py``), the issued documents and their versions (``services.py``), and
one renderer per kind (``rendering/``). See docs/documents.md and ADR 0025.
"""
