"""Unit texts (YAML/JSON) parsed into plain data with the line of every value; the limits."""
