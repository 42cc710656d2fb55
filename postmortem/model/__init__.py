"""The incident model and its validation."""

from postmortem.model.incident import Incident, Metrics
from postmortem.model.validate import ValidationResult, validate

__all__ = ["Incident", "Metrics", "ValidationResult", "validate"]
