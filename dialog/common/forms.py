"""Form fields shared by several domains."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes; templates render it as a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# Date inputs: the ISO form that <input type="date"> sends (and is rendered with, so it must
# come first), and the German form for browsers that show a plain text field.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
