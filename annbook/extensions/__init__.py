"""Optional extensions, imported explicitly (``from annbook.extensions.image import ...``)."""
