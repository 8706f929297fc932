"""German federal states (ISO 3166-2:DE codes), used by answers and events."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Bundesland(StrEnum):
    BW = "DE-BW"
    BY = "DE-BY"
    BE = "DE-BE"
    BB = "DE-BB"
    HB = "DE-HB"
    HH = "DE-HH"
    HE = "DE-HE"
    MV = "DE-MV"
    NI = "DE-NI"
    NW = "DE-NW"
    RP = "DE-RP"
    SL = "DE-SL"
    SN = "DE-SN"
    ST = "DE-ST"
    SH = "DE-SH"
    TH = "DE-TH"
    ABROAD = "abroad"  # people living outside Germany take part too

    @property
    def label(self) -> str:
        return str(BUNDESLAND_LABELS[self])


# Names of the states are proper names and stay German in every interface language.
BUNDESLAND_LABELS = {
    Bundesland.BW: "Baden-Württemberg",
    Bundesland.BY: "Bayern",
    Bundesland.BE: "Berlin",
    Bundesland.BB: "Brandenburg",
    Bundesland.HB: "Bremen",
    Bundesland.HH: "Hamburg",
    Bundesland.HE: "Hessen",
    Bundesland.MV: "Mecklenburg-Vorpommern",
    Bundesland.NI: "Niedersachsen",
    Bundesland.NW: "Nordrhein-Westfalen",
    Bundesland.RP: "Rheinland-Pfalz",
    Bundesland.SL: "Saarland",
    Bundesland.SN: "Sachsen",
    Bundesland.ST: "Sachsen-Anhalt",
    Bundesland.SH: "Schleswig-Holstein",
    Bundesland.TH: "Thüringen",
    Bundesland.ABROAD: _l("Außerhalb Deutschlands"),
}
