"""The tests' name for recipes/pulumi_engine.py, the engine side of the analyzer protocol that
``make pulumi-local`` runs too: one copy of it, imported from here by the Pulumi door's tests."""

from recipes.pulumi_engine import *  # noqa: F401,F403
from recipes.pulumi_engine import _package_version, _registration, _wire  # noqa: F401
