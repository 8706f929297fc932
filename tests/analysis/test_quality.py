import pandas as pd

from analysis.quality import QualityOptions, assess, campaign_summary, flag_summary

TEMPLATE = (
    "Wir fordern ein Bundestariftreuegesetz: Öffentliche Aufträge des Bundes dürfen nur an "
    "Unternehmen gehen, die nach Tarif bezahlen. Wer mit Steuergeld bezahlt wird, muss faire "
    "Löhne zahlen, sonst gewinnt der billigste Anbieter auf Kosten der Beschäftigten."
)
TEXTS = [
    "Sehr geehrte Damen und Herren,\n" + TEMPLATE + "\nMit freundlichen Grüßen\nJens Ott",
    TEMPLATE.replace("faire", "gerechte"),
    "Hallo,\n" + TEMPLATE + " Ich bin Busfahrer in Kiel.",
    "Die Tarifbindung sinkt seit Jahren. Tariftreue bei öffentlichen Aufträgen wäre ein "
    "Anfang, aber auch Allgemeinverbindlichkeit muss leichter werden.",
    "s.o.",
    "Kredit ohne Schufa, jetzt kaufen: www.geld.example.com",
    "Ihr Vollidioten habt keine Ahnung.",
    "Working hours in Germany are too rigid for parents, we need more flexibility.",
]


def frame(texts=TEXTS, **columns):
    return pd.DataFrame(
        {
            "answer_id": range(1, len(texts) + 1),
            "text": texts,
            "theme_field": ["gute-arbeit"] * (len(texts) - 1) + ["zukunft"],
            "channel": ["letter", "email", "online"] + ["online"] * (len(texts) - 3),
            "received_on": pd.to_datetime(
                ["2024-03-04", "2024-03-06", "2024-03-11"] + ["2024-04-02"] * (len(texts) - 3)
            ),
            **columns,
        }
    )


def test_assess_groups_flags_and_detects_languages():
    result = assess(frame())
    assert result["campaign_id"].tolist() == [1, 1, 1, 0, 0, 0, 0, 0]
    assert result["campaign_size"].tolist() == [3, 3, 3, 1, 1, 1, 1, 1]
    assert result["campaign_kind"].iloc[0] == "near"
    assert result["campaign_representative"].sum() == 1
    assert result["flag_empty"].tolist() == [False] * 4 + [True] + [False] * 3
    assert result["flag_spam"].tolist() == [False] * 5 + [True] + [False] * 2
    assert result["flag_abuse"].tolist() == [False] * 6 + [True, False]
    assert result["flagged"].sum() == 3
    assert result["language"].tolist()[:4] == ["de"] * 4
    assert result["language"].iloc[-1] == "en"


def test_the_exact_copies_baseline_finds_only_copies_and_sets_no_flags():
    texts = [*TEXTS, TEMPLATE, TEMPLATE + " ", TEMPLATE.upper()]
    result = assess(frame(texts), QualityOptions(near_copies=False, flags=False, languages=False))
    assert result["campaign_id"].tolist() == [0] * len(TEXTS) + [1, 1, 1]
    assert result["campaign_kind"].iloc[-1] == "exact"
    assert not result["flagged"].any()


def test_reviewed_groups_from_the_web_app_take_precedence():
    texts = [*TEXTS, TEMPLATE]
    # The analysts marked the group of answers 1–3 as no campaign; answer 9 is new.
    reviewed = pd.array([7, 7, 7] + [None] * 6, dtype="Int64")
    status = ["not_campaign"] * 3 + [None] * 6
    result = assess(frame(texts, campaign_group=reviewed, campaign_group_status=status))
    assert result["campaign_id"].tolist() == [0] * 9
    # Confirmed, the group keeps its members and the new copy is not forced into it.
    status = ["confirmed"] * 3 + [None] * 6
    result = assess(frame(texts, campaign_group=reviewed, campaign_group_status=status))
    assert result["campaign_id"].tolist() == [1, 1, 1] + [0] * 6


def test_campaign_summary_names_template_dates_channels_and_spread():
    summary = campaign_summary(assess(frame())).iloc[0]
    assert summary["campaign_size"] == 3
    assert summary["first_date"] == pd.Timestamp("2024-03-04")
    assert summary["last_date"] == pd.Timestamp("2024-03-11")
    assert set(summary["channels"].split(", ")) == {"letter (1)", "email (1)", "online (1)"}
    assert "Sehr geehrte" not in summary["template_text"]
    assert "Jens Ott" not in summary["template_text"]
    assert 0.45 <= summary["similarity_min"] <= summary["similarity_median"] <= 1


def test_flag_summary_counts_reasons():
    summary = flag_summary(assess(frame())).set_index("kind")
    assert summary.loc["spam", "answers"] == 1
    assert "Werbesprache (1)" in summary.loc["spam", "reasons"]
    assert summary.loc["abuse", "reasons"] == "Beleidigung (1)"
