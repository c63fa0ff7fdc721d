"""Sphinx configuration for sklearn_seq."""

import os
import warnings

# The examples train small networks: on a shared or busy machine torch's
# intra-op threads slow them down (spinning threads compete for the cores)
# rather than speeding them up. One thread per process unless told otherwise.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import sklearn_seq  # noqa: E402

project = "sklearn_seq"
author = "The sklearn_seq developers"
copyright = "The sklearn_seq developers"
release = sklearn_seq.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]

# autosummary writes one page per public object into generated/
autosummary_generate = True
# Methods inherited from scikit-learn's base classes and mixins (get_params,
# set_output, score, the set_*_request helpers, ...) are documented by
# scikit-learn; their docstrings refer to labels of scikit-learn's own docs.
_SKLEARN_BASES = [
    "BaseEstimator",
    "ClassifierMixin",
    "RegressorMixin",
    "TransformerMixin",
    "_SetOutputMixin",
    "_MetadataRequester",
    "object",
]
autodoc_default_options = {
    "members": True,
    "inherited-members": ",".join(_SKLEARN_BASES),
    "exclude-members": ",".join(
        f"set_{method}_request"
        for method in ["fit", "partial_fit", "predict", "score", "transform", "inverse_transform"]
    ),
}
autodoc_typehints = "none"

# numpydoc renders the Parameters / Attributes sections; autosummary lists
# the methods through the class template.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn_seq {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("sklearn_seq",),
    "reference_url": {"sklearn_seq": None},
    "backreferences_dir": "generated/backreferences",
    "remove_config_comments": True,
    "plot_gallery": "True",
}

# Warnings the examples raise on purpose must not fail the -W build.
warnings.filterwarnings("ignore", category=UserWarning, message="Matplotlib is currently using agg")
