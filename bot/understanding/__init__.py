"""Understanding: text normalization, the intent classifier, red-flag triage and temperature readings."""
