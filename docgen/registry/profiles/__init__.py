"""Scoring rule profiles as data: the schema (`schema`), where profiles are found and
how they are read and copied (`store`), and how one is printed as a bureau publishes it
(`describe`).  `docgen/forms/selfeval/scoring.py` interprets them; `docgen/build/profiles.py`
writes a copy to edit (`docgen profiles new`)."""
