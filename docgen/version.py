"""docgen's version: what the CHANGELOG names, what a render's record keeps."""

__version__ = "0.2.0"
