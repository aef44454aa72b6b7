"""Package data: the digest and News Monitor templates (``templates/``) and the default configuration
(``config/``: sources, taxonomy, recipients and the tagger's model), found through
:mod:`importlib.resources` so that they come with the package wherever it is installed.

The package is installed as files (pip never installs a wheel zipped), so each resource is a real path:
Jinja's file loader reads the templates from it and ``newswatch train-tagger`` may rewrite the model
file beside the taxonomy. ``NEWSWATCH_SOURCES``, ``NEWSWATCH_TAXONOMY`` and ``NEWSWATCH_RECIPIENTS`` point
the same code at other files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The folder ``name`` of this package's data, as a file-system path."""
    folder = Path(str(files(__name__) / name))
    if not folder.is_dir():
        raise FileNotFoundError(f"newswatch package data {name!r} not found at {folder}: is the package complete?")
    return folder


CONFIG_DIR = resource_dir("config")
TEMPLATES_DIR = resource_dir("templates")
