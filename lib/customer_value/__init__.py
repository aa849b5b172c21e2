"""Customer-needs analytics."""

__version__ = "0.1.0"
