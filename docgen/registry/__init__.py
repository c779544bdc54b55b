"""The form registry: kinds, versions and rule profiles read from templates/manifest.yaml."""
