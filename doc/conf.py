"""Sphinx configuration of the scikit-deep documentation."""

import os
import re
import sys
import warnings

try:
    import skdeep
except ImportError:  # building from a source checkout without installing it
    sys.path.insert(0, os.path.abspath(".."))
    import skdeep

project = "scikit-deep"
copyright = "scikit-deep developers"
version = release = skdeep.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/backreferences", "Thumbs.db", ".DS_Store"]
default_role = "literal"

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}

# numpydoc renders the docstrings; autosummary makes the member tables of the
# class template, so numpydoc does not list members again.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# numpydoc validation of every public name runs as a test: tests/test_docs.py.

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # backreferences: every API page shows the examples that use the object
    "doc_module": ("skdeep",),
    "backreferences_dir": os.path.join("generated", "backreferences"),
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = "scikit-deep"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []

# Examples draw with the non-interactive backend and must not warn.
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings(
    "ignore", category=UserWarning,
    message="Matplotlib is currently using agg, which is a non-GUI backend",
)


# ---------------------------------------------------------------- autodoc hooks
def skip_scikit_learn_members(app, what, name, obj, skip, options):
    """Document skdeep's own methods; those inherited from scikit-learn
    (get_params, set_output, ...) are documented by scikit-learn."""
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and module.startswith("sklearn"):
        return True
    return skip


_TRAILING_UNDERSCORE = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*?)_(?=[\s,.;:)\-]|$)")
_LITERAL = re.compile(r"(``.*?``|`[^`]*`)")
_NAME_LINE = re.compile(r"^\s*\w+ : ")


def escape_trailing_underscores(app, what, name, obj, options, lines):
    """Escape ``name_`` written without backticks (``(n_features_in_,)``), which
    reStructuredText would read as a link to a target ``name``."""
    math_indent = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if math_indent is not None and (not line.strip() or indent > math_indent):
            continue
        math_indent = indent if ".. math::" in line else None
        head, tail = "", line
        if _NAME_LINE.match(line):
            head, sep, tail = line.partition(" : ")
            head += sep
        parts = _LITERAL.split(tail)
        parts[::2] = [_TRAILING_UNDERSCORE.sub(r"\1\\_", p) for p in parts[::2]]
        lines[i] = head + "".join(parts)


def setup(app):
    app.connect("autodoc-skip-member", skip_scikit_learn_members)
    app.connect("autodoc-process-docstring", escape_trailing_underscores)
