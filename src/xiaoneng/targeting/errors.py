"""The one error of the targeting engine: bad input or too little to work on."""

from __future__ import annotations


class TargetingError(ValueError):
    """Input the engine cannot use; the message says what is wrong, naming the column."""


class TooLittleHistory(TargetingError):
    """Not enough past inspections (or violations) to train and validate a model."""
