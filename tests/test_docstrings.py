"""numpydoc validation of the public API's docstrings (as scikit-learn's own
test_docstrings does): every parameter documented, in the signature's order,
with a type and a description, and a Returns section where a value is returned."""

import importlib
import inspect

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

MODULES = ["sklearn_seq", "sklearn_seq.datasets", "sklearn_seq.inspection", "sklearn_seq.utils"]
# GL08: no docstring; PR01/PR02: a parameter undocumented / documented but absent;
# PR03: another order; PR07/PR10: no description / a colon without a space; RT01:
# no Returns section
CODES = {"GL08", "PR01", "PR02", "PR03", "PR07", "PR10", "RT01"}


def _public_names():
    names = []
    for modname in MODULES:
        module = importlib.import_module(modname)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # __version__
            names.append(f"{modname}.{name}")
            if inspect.isclass(obj):  # the methods it defines or takes from this package
                for klass in obj.__mro__:
                    if not klass.__module__.startswith("sklearn_seq"):
                        continue
                    for attr, value in vars(klass).items():
                        function = getattr(value, "__func__", value)  # (classmethods too)
                        if not attr.startswith("_") and inspect.isfunction(function):
                            names.append(f"{modname}.{name}.{attr}")
    return sorted(set(names))


@pytest.mark.parametrize("name", _public_names())
def test_docstring(name):
    errors = [
        f"{code}: {message}"
        for code, message in numpydoc_validate.validate(name)["errors"]
        if code in CODES
    ]
    assert not errors, "\n".join(errors)
