"""Packaging beyond what pyproject.toml can say: the committed `templates/` and
`data/examples/` folders stay where they are in the checkout and go into the wheel as
package data, `docgen/templates/…` and `docgen/data/examples/…` (so the manifest's
`example: ../data/examples/…` paths hold there too); `docgen.registry` finds them through
importlib.resources and falls back to the checkout."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["docgen", "docgen.*"]) + ["docgen.templates", "docgen.data"],
    package_dir={"docgen.templates": "templates", "docgen.data": "data"},
    package_data={
        "docgen": ["*.yaml"],
        "docgen.serve": ["templates/*.html", "static/*"],
        "docgen.templates": ["**/*"],
        "docgen.data": ["examples/**/*"],
    },
    include_package_data=False,
)
