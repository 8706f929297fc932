from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf

from dialog.common.forms import DialogForm

RESULTS, DIALOGUE = "results", "dialogue"


class DemoPhaseForm(DialogForm):
    """The results switch: which phase the demo process is to show."""

    phase = HiddenField(validators=[AnyOf([RESULTS, DIALOGUE])])
