"""German federal states (ISO 3166-2:DE codes), used by answers and events."""

from __future__ import annotations

import csv
import re
from enum import StrEnum
from functools import cache
from importlib import resources

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


class PostcodeCheck(StrEnum):
    """How a postcode fits the Bundesland given with it."""

    MATCHES = "matches"
    OTHER_LAND = "other_land"  # the postcode's area lies in another Land
    UNKNOWN = "unknown"  # five digits, but no such postcode
    MALFORMED = "malformed"  # not five digits


_POSTCODE = re.compile(r"[0-9]{5}")


@cache
def _postcode_laender() -> dict[str, frozenset[Bundesland]]:
    """Every postcode with the Länder its area lies in (open data, see geodata/README.md)."""
    path = resources.files("dialog.common").joinpath("geodata/postcodes.csv")
    with path.open(encoding="utf-8", newline="") as rows:
        return {
            row["postcode"]: frozenset(Bundesland[code] for code in row["laender"].split())
            for row in csv.DictReader(rows)
        }


def laender_of_postcode(postcode: str) -> frozenset[Bundesland]:
    """The Länder of a postcode's area: one, two where it crosses a border, none if unknown."""
    return _postcode_laender().get(postcode.strip(), frozenset())


def check_postcode(postcode: str, land: Bundesland) -> PostcodeCheck:
    """Whether `postcode` is a German postcode in `land`."""
    postcode = postcode.strip()
    if not _POSTCODE.fullmatch(postcode):
        return PostcodeCheck.MALFORMED
    laender = _postcode_laender().get(postcode)
    if not laender:
        return PostcodeCheck.UNKNOWN
    return PostcodeCheck.MATCHES if land in laender else PostcodeCheck.OTHER_LAND
