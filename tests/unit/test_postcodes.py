"""Postcode → Bundesland lookup on the shipped open data (dialog/common/geodata)."""

import pytest

from dialog.common.regions import (
    Bundesland,
    PostcodeCheck,
    _postcode_laender,
    check_postcode,
    laender_of_postcode,
)

# The state capitals (and Bremerhaven, Bremen's second city) with one of their postcodes.
CAPITALS = {
    "70173": Bundesland.BW,  # Stuttgart
    "80331": Bundesland.BY,  # München
    "10115": Bundesland.BE,
    "14467": Bundesland.BB,  # Potsdam
    "28195": Bundesland.HB,
    "27568": Bundesland.HB,  # Bremerhaven, inside Niedersachsen
    "20095": Bundesland.HH,
    "65185": Bundesland.HE,  # Wiesbaden
    "19053": Bundesland.MV,  # Schwerin
    "30159": Bundesland.NI,  # Hannover
    "40213": Bundesland.NW,  # Düsseldorf
    "55116": Bundesland.RP,  # Mainz
    "66111": Bundesland.SL,  # Saarbrücken
    "01067": Bundesland.SN,  # Dresden
    "39104": Bundesland.ST,  # Magdeburg
    "24103": Bundesland.SH,  # Kiel
    "99084": Bundesland.TH,  # Erfurt
}


@pytest.mark.parametrize(("postcode", "land"), CAPITALS.items())
def test_a_capital_postcode_lies_in_its_land_only(postcode, land):
    assert laender_of_postcode(postcode) == {land}
    assert check_postcode(postcode, land) is PostcodeCheck.MATCHES
    other = Bundesland.BY if land is not Bundesland.BY else Bundesland.BW
    assert check_postcode(postcode, other) is PostcodeCheck.OTHER_LAND


def test_mainz_kastel_is_hessen_although_its_postcode_region_is_mainz():
    # 55252 belongs to Wiesbaden: the first digits alone would guess Rheinland-Pfalz.
    assert check_postcode("55252", Bundesland.HE) is PostcodeCheck.MATCHES
    assert check_postcode("55252", Bundesland.RP) is PostcodeCheck.OTHER_LAND


def test_a_postcode_across_a_state_border_fits_both_laender():
    laender = laender_of_postcode("07919")
    assert laender == {Bundesland.SN, Bundesland.TH}
    assert all(check_postcode("07919", land) is PostcodeCheck.MATCHES for land in laender)


@pytest.mark.parametrize("postcode", ["1011", "101155", "1O115", "", "DE-10115"])
def test_anything_but_five_digits_is_malformed(postcode):
    assert check_postcode(postcode, Bundesland.BE) is PostcodeCheck.MALFORMED


def test_five_digits_that_no_area_has_are_unknown():
    assert laender_of_postcode("00000") == frozenset()
    assert check_postcode("00000", Bundesland.BE) is PostcodeCheck.UNKNOWN


def test_surrounding_spaces_are_ignored():
    assert check_postcode(" 10115 ", Bundesland.BE) is PostcodeCheck.MATCHES


def test_the_data_covers_every_land_and_is_complete():
    table = _postcode_laender()
    assert len(table) > 8000  # Germany has about 8,200 postcodes
    covered = set().union(*table.values())
    assert covered == set(Bundesland) - {Bundesland.ABROAD}
