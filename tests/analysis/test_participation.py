import pandas as pd
import pandas.testing as pdt

from analysis.participation import (
    answers_by,
    answers_per_week,
    events_by,
    headline_figures,
    held_events,
)

ANSWERS = pd.DataFrame(
    {
        "answer_id": [1, 2, 3, 4],
        "submission_id": [1, 1, 2, 3],
        "theme_field": ["a", "a", "b", "a"],
        "perspective": ["citizen", "citizen", None, "union"],
        "channel": ["online", "online", "online", "letter"],
        "status": ["published", "pending", "published", "internal"],
        "is_proposal": [True, False, None, True],
        "created_on": ["2024-03-04", "2024-03-10", "2024-03-18", "2024-03-19"],
    }
)
EVENTS = pd.DataFrame(
    {
        "event_id": [1, 2, 3],
        "kind": ["citizen_dialogue", "citizen_dialogue", "congress"],
        "bundesland": ["DE-BW", "DE-NW", "DE-BE"],
        "registrations_confirmed": [100, 120, 0],
        "checked_in": [0, 0, 0],
        "status": ["published"] * 3,
        "starts_on": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-05-01"]),
    }
)


def test_headline_figures():
    assert headline_figures(ANSWERS, EVENTS) == {
        "answers": 4,
        "submissions": 3,
        "published": 2,
        "offline": 1,
        "proposals": 2,
        "events": 3,
        "event_participants": 220,
        "events_planned": 0,
    }


def test_only_events_that_took_place_count():
    events = EVENTS.assign(
        status=["published", "published", "cancelled"],
        checked_in=[80, 0, 0],  # the door list was used at the first: who came counts
    )
    figures = headline_figures(ANSWERS, events, before=pd.Timestamp("2024-03-15"))
    assert (figures["events"], figures["event_participants"], figures["events_planned"]) == (
        1,
        80,
        1,
    )
    assert held_events(events, pd.Timestamp("2024-03-01"))["event_id"].tolist() == []
    assert held_events(events, None)["event_id"].tolist() == [1, 2]


def test_answers_by_profile_with_missing_values():
    by = answers_by(ANSWERS)
    assert by["perspective"].to_dict("records") == [
        {"perspective": "citizen", "answers": 2},
        {"perspective": "keine Angabe", "answers": 1},
        {"perspective": "union", "answers": 1},
    ]
    assert "age_band" not in by  # not in the data, not in the result


def test_weeks_start_on_monday_and_empty_weeks_count_zero():
    result = answers_per_week(ANSWERS)
    expected = pd.DataFrame(
        {"week": pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"]), "answers": [2, 0, 2]}
    )
    pdt.assert_frame_equal(result, expected, check_freq=False)


def test_events_by_kind():
    assert events_by(EVENTS, "kind").to_dict("records") == [
        {"kind": "citizen_dialogue", "events": 2, "participants": 220},
        {"kind": "congress", "events": 1, "participants": 0},
    ]
