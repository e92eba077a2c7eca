"""pb: participatory budgeting and a "you said, we did" tracker for Welsh councils."""

__version__ = "0.1.0"
