"""Content: the YAML files loaded and checked once into frozen dataclasses; the catalog; bot check."""
