import numpy as np
import pandas as pd

from analysis import campaigns
from analysis import text as tx

TEMPLATE = (
    "Die Pflegekräfte in unseren Krankenhäusern und Heimen arbeiten seit Jahren am Limit. Wir "
    "fordern einen verbindlichen Personalschlüssel, der sich am tatsächlichen Bedarf orientiert, "
    "und eine spürbare Entlastung durch zusätzliche Stellen. Nur so bleiben Pflegekräfte im Beruf "
    "und junge Menschen entscheiden sich wieder für diese Ausbildung."
)
VARIANTS = [
    "Sehr geehrte Damen und Herren,\n" + TEMPLATE + "\nMit freundlichen Grüßen\nPetra Krause",
    "Hallo, " + TEMPLATE.replace("seit Jahren", "schon lange") + "\nViele Grüße aus Kassel",
    TEMPLATE.replace("zusätzliche", "zusätzlche")
    + " Ich arbeite selbst seit 20 Jahren in der Pflege.",
    "Moin,\n" + TEMPLATE.replace(" Nur so bleiben", "\nNur so bleiben"),
    TEMPLATE.split(" Nur so")[0],  # the last sentence dropped
]
# Independent answers on the same topic with the same key terms: no campaign.
SAME_TOPIC = [
    "Als Pflegekraft sage ich: Ohne verbindlichen Personalschlüssel hören immer mehr Kolleginnen "
    "auf, weil die Dienste nicht mehr zu schaffen sind und niemand einspringt.",
    "Im Heim unserer Mutter fehlen ständig Pflegekräfte. Ein Personalschlüssel nach Bedarf wäre "
    "gut, aber auch die Bezahlung und die Dienstpläne müssen besser werden.",
    "Wir brauchen mehr Stellen in der Pflege und eine Ausbildung, die junge Menschen anspricht; "
    "der Personalschlüssel allein löst das Problem nicht, die Entlastung muss spürbar sein.",
    "Pflegekräfte am Limit, das lese ich überall. In unserer Klinik hilft nur mehr Personal, "
    "sonst gehen die Jungen nach der Ausbildung sofort wieder aus dem Beruf.",
]


def test_salutations_and_sign_offs_are_stripped():
    texts = pd.Series(
        [
            "Sehr geehrte Damen und Herren,\nich bin dafür.\nMit freundlichen Grüßen\nAnna Beck",
            "Hallo zusammen, mehr Kitas! Viele Grüße, Tom",
            "Liebes Ministerium,\n\nDie Lage ist ernst.\n\nMfG\nK. Schulz\nBremen",
            "Ein Text ohne Anrede, der Gruß aus der Küche ist hier ein Wort wie jedes andere.",
        ]
    )
    stripped = tx.strip_salutations(tx.arrow_strings(texts)).to_pylist()
    assert stripped[0].strip() == "ich bin dafür."
    assert stripped[1].strip() == "mehr Kitas!"
    assert stripped[2].strip() == "Die Lage ist ernst."
    assert stripped[3] == texts[3]


def test_near_copies_form_one_group_and_independent_answers_on_the_topic_none():
    texts = pd.Series([*VARIANTS, *SAME_TOPIC, "Mehr Kitaplätze!", TEMPLATE])
    groups = campaigns.near_copy_groups(texts)
    members = np.flatnonzero(groups.group >= 0)
    assert members.tolist() == [0, 1, 2, 3, 4, len(texts) - 1]
    assert len(set(groups.group[members])) == 1
    assert not groups.exact[groups.group[0]]  # near, not all the same words
    # The most central text represents the group; the others are measured against it.
    assert groups.representative.sum() == 1
    assert groups.representative[members].any()
    assert np.all(groups.similarity[members] >= 0.45)
    assert np.isnan(groups.similarity[5:9]).all()


def test_two_near_copies_are_no_campaign():
    groups = campaigns.near_copy_groups(pd.Series(VARIANTS[:2] + SAME_TOPIC))
    assert (groups.group < 0).all()


def test_exact_copies_of_short_texts_group_but_fillers_do_not():
    texts = pd.Series(["Mehr Geld für die Pflege, sofort!"] * 3 + ["keine Ahnung"] * 5)
    for groups in (
        campaigns.near_copy_groups(texts),
        campaigns.exact_groups(tx.joined(tx.words(tx.arrow_strings(texts)), texts.index)),
    ):
        assert groups.group.tolist() == [0, 0, 0] + [-1] * 5
        assert groups.exact.tolist() == [True]


def test_signatures_estimate_the_jaccard_similarity():
    rng = np.random.default_rng(3)
    base = rng.integers(0, 5000, 200)
    texts, truth = [], []
    for keep in (1.0, 0.8, 0.6, 0.4, 0.2):
        other = base.copy()
        change = rng.random(len(base)) > keep
        other[change] = rng.integers(5000, 10000, change.sum())
        texts.append(" ".join(f"w{w}" for w in other))
        a = {tuple(base[i : i + 3]) for i in range(len(base) - 2)}
        b = {tuple(other[i : i + 3]) for i in range(len(other) - 2)}
        truth.append(len(a & b) / len(a | b))
    texts.insert(0, " ".join(f"w{w}" for w in base))
    word_lists = tx.words(tx.arrow_strings(pd.Series(texts)))
    codes, offsets, _ = tx.word_codes(word_lists)
    signatures = campaigns._signatures(codes, offsets, np.arange(len(texts)))
    estimates = (signatures[1:] == signatures[0]).mean(axis=1)
    assert np.abs(estimates - np.array(truth)).max() < 0.15


def test_body_words_reuse_the_whole_texts_words_and_equal_stripping_them_all():
    texts = tx.arrow_strings(
        pd.Series(
            [
                VARIANTS[0],
                TEMPLATE,
                "Hallo, viele Grüße",
                None,
                VARIANTS[1],
                "Gruß aus der Küche: ein Wort wie jedes andere.",
                "Moin,\nkurz und gut.\nLG",
            ]
        )
    )
    reused = tx.body_words(texts, tx.words(texts))
    assert reused.equals(tx.words(tx.strip_salutations(texts)))
    assert reused[1].as_py() == tx.words(texts)[1].as_py()  # no salutation: the same words
    assert "geehrte" not in reused[0].as_py() and "krause" not in reused[0].as_py()


def test_the_byte_prefilter_never_rules_out_a_pair_the_full_comparison_accepts():
    rng = np.random.default_rng(7)
    n = 4000
    signatures = rng.integers(0, 2**32, (n, campaigns.NUM_PERM), dtype=np.uint32)
    # Pairs sharing a random number of signature columns, of random shingle counts.
    left, right = np.arange(0, n, 2), np.arange(1, n, 2)
    for row, shared in zip(left, rng.integers(0, campaigns.NUM_PERM + 1, len(left)), strict=True):
        columns = rng.choice(campaigns.NUM_PERM, shared, replace=False)
        signatures[row + 1, columns] = signatures[row, columns]
    sizes = rng.integers(1, 400, n)
    accepted = campaigns._similar(signatures, sizes, left, right)
    possible = campaigns._may_be_similar(signatures.astype(np.uint8), sizes, left, right)
    assert accepted.sum() > 100 and (~possible).sum() > 100  # both outcomes occur
    assert not (accepted & ~possible).any()
    # Nearly all it lets pass are near-copies: it decides almost as the full comparison.
    assert (possible & ~accepted).sum() <= 0.02 * len(left)
