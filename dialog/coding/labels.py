"""German (translatable) labels and messages of the coding domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dialog.coding.rules import (
    CodebookChange,
    CodebookProblem,
    CodingAction,
    SuggestionProblem,
    SuggestionStatus,
)

CODEBOOK_PROBLEM = {
    CodebookProblem.DEPTH: _l(
        "Das Codebuch hat zwei Ebenen: Wählen Sie als Obercode einen Code ohne eigenen Obercode."
    ),
    CodebookProblem.HAS_CHILDREN: _l(
        "Der Code hat aktive Untercodes. Verschieben, stilllegen oder zusammenführen Sie diese "
        "zuerst."
    ),
    CodebookProblem.SELF: _l("Ein Code kann nicht sein eigener Obercode oder Ziel sein."),
    CodebookProblem.RETIRED: _l(
        "Der gewählte Code ist stillgelegt oder zusammengeführt. Wählen Sie einen aktiven Code."
    ),
    CodebookProblem.OTHER_PROCESS: _l("Der gewählte Code gehört zu einem anderen Prozess."),
    CodebookChange.LABEL_TAKEN: _l(
        "Diese Bezeichnung hat schon ein anderer Code dieses Prozesses."
    ),
    CodebookChange.MERGED: _l("Dieser Code wurde bereits zusammengeführt."),
}

ACTION = {
    CodingAction.ASSIGN: _l("Code zugeordnet"),
    CodingAction.UNASSIGN: _l("Code entfernt"),
    CodingAction.NOTE: _l("Notiz geändert"),
    CodingAction.PROPOSAL: _l("Lösungsvorschlag geändert"),
    CodingAction.RATE: _l("Bewertung geändert"),
    CodingAction.MOVE: _l("Zuordnung beim Zusammenführen verschoben"),
}

RATING = {
    1: _l("1 – sehr gering"),
    2: _l("2 – gering"),
    3: _l("3 – mittel"),
    4: _l("4 – hoch"),
    5: _l("5 – sehr hoch"),
}
NOT_RATED = _l("nicht bewertet")

RATING_ERROR = _l("Bitte wählen Sie eine Bewertung von 1 bis 5 oder „nicht bewertet“.")

# Code suggestions from a draft report's themes
SUGGESTION_STATUS = {
    SuggestionStatus.OPEN: _l("offen"),
    SuggestionStatus.ACCEPTED: _l("angenommen"),
    SuggestionStatus.REJECTED: _l("abgelehnt"),
}

SUGGESTION_PROBLEM = {
    SuggestionProblem.ALREADY_ADOPTED: _l(
        "Dieses Thema ist schon als Code übernommen; es wurde nicht noch einmal angelegt."
    ),
    SuggestionProblem.NO_ANSWERS: _l(
        "Keine Antwort dieses Themas ist noch im Prozess: Es wurde kein Code angelegt."
    ),
    SuggestionProblem.DECIDED: _l(
        "Über diesen Vorschlag wurde inzwischen schon entschieden. Er wurde nicht geändert."
    ),
    SuggestionProblem.CODE_INACTIVE: _l(
        "Der vorgeschlagene Code ist stillgelegt und wird nicht mehr zugeordnet. Sie können "
        "den Vorschlag ablehnen oder den Code im Codebuch wieder aktivieren."
    ),
}
