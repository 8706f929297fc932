"""German (translatable) labels of campaign groups and flags, for forms and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dialog.quality.rules import CampaignStatus, FlagKind, HintFilter, ReviewProblem, SplitAction

STATUS = {
    CampaignStatus.SUGGESTED: _l("vorgeschlagen, noch nicht geprüft"),
    CampaignStatus.CONFIRMED: _l("als Kampagne bestätigt"),
    CampaignStatus.NOT_CAMPAIGN: _l("keine Kampagne"),
}

DECISION = {
    CampaignStatus.CONFIRMED: _l("Als Kampagne bestätigen"),
    CampaignStatus.NOT_CAMPAIGN: _l("Keine Kampagne: die Beiträge zählen einzeln"),
}

# Read after "Hinweis:" – a suggestion for a person to check, never a decision.
FLAG = {
    FlagKind.EMPTY: _l("möglicherweise leer"),
    FlagKind.SPAM: _l("möglicherweise Spam"),
    FlagKind.ABUSE: _l("möglicherweise Beleidigung oder Angriff"),
}

HINT_FILTER = {
    HintFilter.ANY: _l("mit Hinweis"),
    HintFilter.EMPTY: _l("möglicherweise leer"),
    HintFilter.SPAM: _l("möglicherweise Spam"),
    HintFilter.ABUSE: _l("möglicherweise Beleidigung oder Angriff"),
    HintFilter.NONE: _l("ohne Hinweis"),
    HintFilter.UNCHECKED: _l("noch nicht geprüft"),
}

SPLIT_ACTION = {
    SplitAction.NEW_GROUP: _l("Die ausgewählten Beiträge bilden eine eigene Gruppe"),
    SplitAction.REMOVE: _l("Die ausgewählten Beiträge gehören zu keiner Gruppe"),
}

REVIEW_PROBLEM = {
    ReviewProblem.NOTHING_CHOSEN: _l("Bitte wählen Sie mindestens einen Beitrag der Gruppe aus."),
    ReviewProblem.ALL_CHOSEN: _l(
        "Sie haben alle Beiträge der Gruppe ausgewählt. Gehört keiner zu einer Kampagne, "
        "markieren Sie die Gruppe als „keine Kampagne“."
    ),
    ReviewProblem.NOT_MEMBERS: _l(
        "Ein ausgewählter Beitrag gehört nicht (mehr) zu dieser Gruppe. Bitte laden Sie die "
        "Seite neu."
    ),
}

ALL = {"status": STATUS, "flag": FLAG}
