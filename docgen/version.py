"""docgen's version: what the CHANGELOG names, what a render's record keeps."""

__version__ = "0.1.0"
