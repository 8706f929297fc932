import pandas as pd
import pandas.testing as pdt

from analysis import recommendations as rec

LONG = "Mehr Kitaplätze am Nachmittag, damit Eltern länger arbeiten können."
UTC = "datetime64[ns, UTC]"


def _evidence(*links: tuple) -> pd.DataFrame:
    """(recommendation_id, kind, target) → rows of the recommendation_evidence table."""
    columns = {"answer": "answer_id", "code": "code_id", "documentation": "documentation_id"}
    rows = []
    for number, (rid, kind, target) in enumerate(links, 1):
        row = {
            "evidence_id": number,
            "recommendation_id": rid,
            "kind": kind,
            "answer_id": pd.NA,
            "code_id": pd.NA,
            "documentation_id": pd.NA,
            "source_recommendation_id": pd.NA,
        }
        row[columns.get(kind, "source_recommendation_id")] = target
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.astype({c: "Int64" for c in frame.columns if c.endswith("_id")}).astype(
        {"kind": "string"}
    )


ANSWERS = pd.DataFrame(
    {
        "answer_id": [1, 2, 3, 4, 5, 6, 7],
        "status": ["published"] * 5 + ["rejected", "published"],
        "published_text": [LONG, LONG, "kurz", LONG, LONG, LONG, LONG],
        "publication_consent": [True, True, True, False, True, True, True],
        "flagged": [False] * 7,
        "perspective": ["citizen", "employer", None, "citizen", "citizen", "citizen", "union"],
        "channel": ["online", "letter", "online", "online", "online", "online", "online"],
        "campaign_id": [0, 0, 0, 0, 3, 0, 3],
        "campaign_size": [1, 1, 1, 1, 4, 1, 4],
    }
)
CODEBOOK = pd.DataFrame(
    {
        "code_id": [10, 11, 12],
        "label": ["Kita", "Doppelt", "Ganztag"],
        "merged_into_id": pd.array([pd.NA, 12, 10], dtype="Int64"),  # 11 → 12 → 10
    }
)
PAIRS = pd.DataFrame({"answer_id": [2, 3, 6, 7], "code_id": [10, 10, 10, 12]})
# 1 links answer 1 and code 11 (merged, in the end 10); 2 was merged into 1 and links answer
# 5 and documentation 8; 3 was merged into 2 (transitively into 1) and links answer 4.
EVIDENCE = _evidence(
    (1, "answer", 1),
    (1, "code", 11),
    (1, "recommendation", 2),
    (2, "answer", 5),
    (2, "documentation", 8),
    (2, "recommendation", 3),
    (3, "answer", 4),
    (4, "answer", 1),
)


def test_families_follow_merges_transitively_and_stop_at_cycles():
    family = rec.families(pd.Series([1, 2, 3, 4]), EVIDENCE)
    assert family.groupby("recommendation_id")["member_id"].apply(list).to_dict() == {
        1: [1, 2, 3],
        2: [2, 3],
        3: [3],
        4: [4],
    }
    cycle = _evidence((1, "recommendation", 2), (2, "recommendation", 1))
    assert len(rec.families(pd.Series([1, 2]), cycle)) == 4


def test_codes_end_in_the_code_they_were_merged_into():
    pdt.assert_series_equal(
        rec.final_codes(CODEBOOK), pd.Series([10, 10, 10], index=[10, 11, 12]), check_names=False
    )


def test_supporting_answers_directly_through_codes_and_merged_recommendations():
    family = rec.families(pd.Series([1, 4]), EVIDENCE)
    support = rec.supporting_answers(family, EVIDENCE, PAIRS, CODEBOOK, ANSWERS)
    expected = pd.DataFrame(
        {
            # answer 6 carries the code but is rejected; answer 1 counts once, directly.
            "recommendation_id": [1, 1, 1, 1, 1, 1, 4],
            "answer_id": [1, 2, 3, 4, 5, 7, 1],
            "via": ["answer", "code", "code", "recommendation", "recommendation", "code", "answer"],
        }
    )
    pdt.assert_frame_equal(support, expected)


def test_support_counts_campaigns_once_as_a_voice_and_by_copies():
    support = pd.DataFrame(
        {"recommendation_id": [1, 1, 1, 1, 2], "answer_id": [1, 2, 5, 7, 3], "via": ["answer"] * 5}
    )
    pdt.assert_frame_equal(
        rec.support_summary(support, ANSWERS),
        pd.DataFrame(
            {
                "recommendation_id": [1, 2],
                "answers": [4, 1],
                "campaign_answers": [2, 0],
                "campaigns": [1, 0],
                "voices": [3, 1],
            }
        ),
    )
    by_perspective = rec.support_by(support, ANSWERS, "perspective").fillna({"perspective": "–"})
    assert by_perspective.to_dict("records") == [  # outside campaigns; missing as a group
        {"recommendation_id": 1, "perspective": "citizen", "answers": 1},
        {"recommendation_id": 1, "perspective": "employer", "answers": 1},
        {"recommendation_id": 2, "perspective": "–", "answers": 1},
    ]
    pdt.assert_frame_equal(
        rec.campaign_support(support, ANSWERS),
        pd.DataFrame(
            {"recommendation_id": [1], "campaign_id": [3], "answers": [2], "campaign_size": [4]}
        ),
    )


def test_rating_summary_marks_disagreement_from_a_spread_of_two():
    ratings = pd.DataFrame(
        {
            "recommendation_id": [1, 1, 1, 2],
            "effectiveness": [4, 5, 4, 1],
            "feasibility": [1, 3, 2, 5],
        }
    )
    summary = rec.rating_summary(ratings)
    expected = pd.DataFrame(
        {
            "recommendation_id": [1, 1, 2, 2],
            "criterion": ["effectiveness", "feasibility"] * 2,
            "raters": [3, 3, 1, 1],
            "median": [4.0, 2.0, 1.0, 5.0],
            "q1": [4.0, 1.5, 1.0, 5.0],
            "q3": [4.5, 2.5, 1.0, 5.0],
            "low": [4.0, 1.0, 1.0, 5.0],
            "high": [5.0, 3.0, 1.0, 5.0],
            "iqr": [0.5, 1.0, 0.0, 0.0],
            "spread": [1.0, 2.0, 0.0, 0.0],
            "disagreement": [False, True, False, False],  # one rater never disagrees
        }
    )
    pdt.assert_frame_equal(summary, expected)


def test_priority_orders_by_mean_of_medians_and_puts_unrated_last():
    recs = pd.DataFrame({"recommendation_id": [1, 2, 3, 4]})
    ratings = rec.rating_summary(
        pd.DataFrame(
            {
                "recommendation_id": [1, 2, 2, 4],
                "effectiveness": [3, 5, 5, 4],
                "feasibility": [5, 3, 3, 4],
            }
        )
    )
    ordered = rec.by_priority(recs, ratings)
    # 2 and 4 tie at 4.0: 2 has the higher effectiveness; 1 (also 4.0, but effectiveness 3).
    assert ordered["recommendation_id"].tolist() == [2, 4, 1, 3]
    assert ordered["priority"].tolist()[:3] == [4.0, 4.0, 4.0]
    assert ordered["rank"].tolist()[:3] == [1, 2, 3] and pd.isna(ordered["rank"].iloc[3])
    assert ordered["raters"].tolist() == [2, 1, 1, 0]


def test_status_since_and_latest_public_note():
    recs = pd.DataFrame({"recommendation_id": [1, 2], "status": ["planned", "draft"]})
    history = pd.DataFrame(
        {
            "change_id": [1, 2, 3, 4],
            "recommendation_id": [1, 1, 1, 2],
            "at": pd.to_datetime(
                ["2026-01-01", "2026-02-01", "2026-03-01", "2026-01-05"], utc=True
            ),
            "to_status": ["included", "planned", "planned", "draft"],
            "public_note": ["", "Geplant", "Entwurf liegt vor", ""],
            "progress_percent": pd.array([pd.NA, 10, pd.NA, pd.NA], dtype="Int64"),
            "link": ["", "", "", ""],
        }
    )
    result = rec.with_status(recs, history)
    assert result["status_since"].tolist() == list(
        pd.to_datetime(["2026-03-01", "2026-01-05"], utc=True)
    )
    assert result["public_note"].tolist()[0] == "Entwurf liegt vor"
    assert pd.isna(result["progress_percent"].iloc[0])  # the latest note's, not an older one's
    assert pd.isna(result["note_at"].iloc[1])


def test_documentation_counts_apart_with_its_agreement():
    family = rec.families(pd.Series([1, 2]), EVIDENCE)
    entries = pd.DataFrame(
        {"documentation_id": [8], "event_id": [5], "agreement_count": pd.array([7], "Int64")}
    )
    documentation = rec.documentation_support(family, EVIDENCE, entries)
    assert documentation[["recommendation_id", "documentation_id"]].values.tolist() == [
        [1, 8],
        [2, 8],
    ]
    summary = pd.DataFrame(
        {"recommendation_id": [1], "answers": [3], "campaign_answers": [0], "campaigns": [0]}
    ).assign(voices=3)
    joined = rec.with_support(pd.DataFrame({"recommendation_id": [1, 3]}), summary, documentation)
    assert joined["documentation"].tolist() == [1, 0]
    assert joined["agreement"].tolist()[0] == 7 and pd.isna(joined["agreement"].iloc[1])


def test_quotes_only_from_quotable_answers_direct_links_first():
    support = pd.DataFrame(
        {
            "recommendation_id": [1, 1, 1, 1, 1],
            "answer_id": [2, 3, 4, 5, 7],
            "via": ["code", "answer", "answer", "recommendation", "code"],
        }
    )
    chosen = rec.recommendation_quotes(support, ANSWERS, per_recommendation=2)
    # 3 is too short, 4 has no consent, 7 is a second copy of campaign 3.
    assert chosen[["answer_id", "quote"]].values.tolist() == [[2, LONG], [5, LONG]]


def test_an_export_without_recommendation_tables_gives_none():
    assert rec.analyse({"answers": ANSWERS}, ANSWERS, PAIRS) is None
