import pytest


def pytest_collection_modifyitems(config, items):
    """Skip this package's doctests when matplotlib is not installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        skip = pytest.mark.skip(reason="matplotlib is not installed")
        for item in items:
            item.add_marker(skip)
