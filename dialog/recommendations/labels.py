"""German (translatable) labels and messages of the recommendations domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from dialog.recommendations.files import UploadProblem
from dialog.recommendations.rules import (
    EvidenceKind,
    EvidenceProblem,
    OptionList,
    OptionsProblem,
    RatingProblem,
    RecommendationStatus,
    StatusProblem,
)

S = RecommendationStatus

STATUS = {
    S.DRAFT: _l("Entwurf"),
    S.IN_REVIEW: _l("in Prüfung"),
    S.RATED: _l("bewertet"),
    S.INCLUDED: _l("in den Ergebnisbericht aufgenommen"),
    S.DEFERRED: _l("zurückgestellt"),
    S.PLANNED: _l("geplant"),
    S.IN_PROGRESS: _l("in Umsetzung"),
    S.IMPLEMENTED: _l("umgesetzt"),
    S.NOT_PURSUED: _l("nicht weiterverfolgt"),
}

STATUS_PROBLEM = {
    StatusProblem.NOT_ALLOWED: _l(
        "Dieser Statuswechsel ist im Ablauf nicht vorgesehen. Bitte wählen Sie einen der "
        "angebotenen Status."
    ),
    StatusProblem.REASON_REQUIRED: _l(
        "Bitte geben Sie an, warum die Empfehlung zurückgestellt wird."
    ),
    StatusProblem.PUBLIC_NOTE_REQUIRED: _l(
        "Nach der Veröffentlichung braucht jeder Statuswechsel einen öffentlichen Hinweis."
    ),
    StatusProblem.NO_RATINGS: _l(
        "„bewertet“ setzt mindestens eine Bewertung voraus. Bitte lassen Sie die Empfehlung "
        "zuerst bewerten."
    ),
    StatusProblem.PROGRESS_RANGE: _l("Der Fortschritt muss zwischen 0 und 100 Prozent liegen."),
    StatusProblem.PROGRESS_NOT_HERE: _l(
        "Einen Fortschritt in Prozent gibt es erst nach der Veröffentlichung (geplant, in "
        "Umsetzung, umgesetzt, nicht weiterverfolgt)."
    ),
}

EVIDENCE_KIND = {
    EvidenceKind.ANSWER: _l("Beitrag"),
    EvidenceKind.CODE: _l("Code"),
    EvidenceKind.DOCUMENTATION: _l("Veranstaltungsdokumentation"),
    EvidenceKind.RECOMMENDATION: _l("Zusammengeführte Empfehlung"),
}

EVIDENCE_PROBLEM = {
    EvidenceProblem.NOT_FOUND: _l("Diesen Eintrag gibt es nicht. Bitte prüfen Sie die Nummer."),
    EvidenceProblem.OTHER_PROCESS: _l(
        "Der gewählte Eintrag gehört zu einem anderen Prozess als die Empfehlung."
    ),
    EvidenceProblem.REJECTED_ANSWER: _l(
        "Dieser Beitrag wurde in der Moderation abgelehnt und kann nicht als Beleg dienen."
    ),
    EvidenceProblem.ALREADY_LINKED: _l("Dieser Beleg ist mit der Empfehlung bereits verknüpft."),
    EvidenceProblem.ITSELF: _l(
        "Eine Empfehlung kann nicht mit sich selbst zusammengeführt werden."
    ),
    EvidenceProblem.PARENT_CYCLE: _l(
        "Eine Empfehlung kann nicht zu ihrem eigenen Cluster gehören, auch nicht über "
        "Zwischenstufen."
    ),
    EvidenceProblem.MERGE_CYCLE: _l(
        "Diese Empfehlung ist bereits in die gewählte eingegangen. Eine Zusammenführung in "
        "beide Richtungen würde Beiträge doppelt zählen."
    ),
}

OPTION_LIST = {
    OptionList.ADDRESSEE: _l("Adressaten"),
    OptionList.MEASURE: _l("Arten der Maßnahme"),
}

OPTIONS_PROBLEM = {
    OptionsProblem.TOO_MANY: _l("Höchstens 40 Einträge je Liste."),
    OptionsProblem.TOO_LONG: _l("Ein Eintrag darf höchstens 120 Zeichen lang sein."),
}

RATING_PROBLEM = {
    RatingProblem.SCALE: _l("Bitte bewerten Sie Wirksamkeit und Machbarkeit jeweils von 1 bis 5."),
    RatingProblem.CLOSED: _l(
        "Bewertet wird nur, solange die Empfehlung „in Prüfung“ oder „bewertet“ ist."
    ),
}

UPLOAD_PROBLEM = {
    UploadProblem.WRONG_TYPE: _l("Bitte laden Sie eine PDF-, PNG- oder JPEG-Datei hoch."),
    UploadProblem.TOO_LARGE: _l("Die Datei ist zu groß."),
    UploadProblem.BROKEN_IMAGE: _l("Das Bild lässt sich nicht lesen. Bitte prüfen Sie die Datei."),
}

CRITERIA = {
    "effectiveness": _l("Wirksamkeit"),
    "feasibility": _l("Machbarkeit"),
}
