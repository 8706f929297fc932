import pytest

from dialog.common.sanitize import clean_rich_text, plain_text, rich_text


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">klick</a>',
        '<p onclick="alert(1)">text</p>',
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        "[link](javascript:alert(1))",
        "<svg onload=alert(1)>",
    ],
)
def test_rich_text_neutralises_hostile_markup(hostile):
    html = str(rich_text(hostile)).lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "onload" not in html
    assert 'href="javascript' not in html
    assert "<iframe" not in html
    assert "<style" not in html
    assert "<svg" not in html


def test_rich_text_drops_the_content_of_code_elements():
    html = str(rich_text("Vorher <script>alert(1)</script> <STYLE>p{}</style> nachher"))
    assert "alert" not in html and "p{}" not in html
    assert "Vorher" in html and "nachher" in html


def test_rich_text_keeps_markdown_and_allowed_html():
    html = str(rich_text("## Titel\n\n**fett** und <em>betont</em>\n\n- eins\n- zwei"))
    assert "<h2>Titel</h2>" in html
    assert "<strong>fett</strong>" in html
    assert "<em>betont</em>" in html
    assert "<li>eins</li>" in html


def test_rich_text_demotes_h1_because_the_page_title_is_the_only_h1():
    assert "<h2>Oben</h2>" in str(rich_text("# Oben"))
    assert "<h1" not in str(rich_text("<h1>Oben</h1>"))


def test_rich_text_links_plain_urls():
    assert 'href="https://www.bund.de"' in str(rich_text("Siehe https://www.bund.de"))


def test_clean_rich_text_normalises_but_keeps_markdown():
    assert clean_rich_text("> Zitat\r\n\u202eText\x00") == "> Zitat\nText"
    assert clean_rich_text("Cafe\u0301") == "Café"  # NFC


def test_plain_text_strips_tags_and_control_characters():
    assert plain_text("<b>fett</b> a < b & c\x07") == "fett a < b & c"
    assert plain_text("<script>alert(1)</script>Hallo") == "alert(1)Hallo"
    assert plain_text("rechts\u202elinks") == "rechtslinks"
    assert plain_text("Zeile 1\r\nZeile 2") == "Zeile 1\nZeile 2"
    # Typed entities are text, not markup: they are kept as typed.
    assert plain_text("Glocke&#7;") == "Glocke&#7;"
    assert (
        plain_text("&lt;script&gt;alert(4)&lt;/script&gt;")
        == "&lt;script&gt;alert(4)&lt;/script&gt;"
    )
    assert plain_text("Tom &amp; Jerry & Co") == "Tom &amp; Jerry & Co"
    assert plain_text(None) == ""
