"""Shared fixtures: a fresh global network per test, one build cache per session."""

import importlib.util
import os

import pytest

import annbook as ann
from annbook.config import reset_config


@pytest.fixture(scope="session", autouse=True)
def cache_directory(tmp_path_factory):
    """Compiled structures are shared by all tests of a session (same structure, no rebuild)."""
    if not os.environ.get("ANNBOOK_CACHE_DIR"):
        os.environ["ANNBOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("annbook-cache"))
    return os.environ["ANNBOOK_CACHE_DIR"]


@pytest.fixture(autouse=True)
def fresh_network():
    ann.clear()
    reset_config()
    yield
    ann.clear()
    reset_config()


def reference_available():
    return importlib.util.find_spec("ANNarchy") is not None
