"""Risk-based targeting (issue 12): pure Python and scikit-learn, no Django.

    python -m xiaoneng.targeting FILE.csv --period 2013-09-01:2014-04-16

See docs/targeting.md.
"""

from xiaoneng.targeting.chicago import OUTCOME_COLUMNS, Inspections, read_inspections
from xiaoneng.targeting.errors import TargetingError, TooLittleHistory
from xiaoneng.targeting.features import CATEGORICAL, NUMERIC, FeatureEncoder
from xiaoneng.targeting.model import TrainedModel, time_split, train
from xiaoneng.targeting.protocol import OrderMetrics, evaluate_order

__all__ = [
    "CATEGORICAL",
    "NUMERIC",
    "OUTCOME_COLUMNS",
    "FeatureEncoder",
    "Inspections",
    "OrderMetrics",
    "TargetingError",
    "TooLittleHistory",
    "TrainedModel",
    "evaluate_order",
    "read_inspections",
    "time_split",
    "train",
]
