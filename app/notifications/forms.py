"""Forms of the notice pages; button-only POSTs use the forum's ConfirmForm."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from .models import KIND_LABELS, Kind


class EmailChoicesForm(FlaskForm):
    """One box per kind of e-mail (field names are the kinds); ticked means send it."""

    case_event = BooleanField(KIND_LABELS[Kind.CASE_EVENT])
    assigned = BooleanField(KIND_LABELS[Kind.ASSIGNED])
    escalated = BooleanField(KIND_LABELS[Kind.ESCALATED])
