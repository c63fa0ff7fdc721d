"""Tools to look inside fitted sequence estimators."""

from ._curves import TrainingCurveDisplay

__all__ = ["TrainingCurveDisplay"]
