"""Demo texts of the accessibility pages, loaded by `flask seed` (staff edit them afterwards).

The Leichte-Sprache text follows the rules of the Netzwerk Leichte Sprache: one statement per
sentence, each sentence on its own line, no abbreviations, hard words explained, long compound
words split by a Mediopunkt (Fach·kraft), numbers as digits.
"""

from __future__ import annotations


def _lines(*sentences: str) -> str:
    """Sentences on lines of their own (Markdown hard line breaks), as Leichte Sprache wants."""
    return "\\\n".join(sentences)


def _paragraphs(*blocks: str) -> str:
    return "\n\n".join(blocks)


EASY_LANGUAGE_TITLE = "Leichte Sprache"
EASY_LANGUAGE_BODY = _paragraphs(
    _lines(
        "Hier erklären wir den Zukunfts·dialog in Leichter Sprache.",
        "Der Zukunfts·dialog heißt: Mission Fach·kraft.",
    ),
    "## Worum geht es?",
    _lines(
        "Eine Fach·kraft ist ein Mensch mit einer Ausbildung.",
        "Oder mit einem Studium.",
        "In Deutschland fehlen viele Fach·kräfte.",
        "Zum Beispiel in der Pflege.",
        "Oder im Hand·werk.",
    ),
    _lines(
        "Das Ministerium will wissen:",
        "Was hilft gegen den Mangel an Fach·kräften?",
        "Was muss sich bei der Arbeit ändern?",
        "Ein Ministerium ist ein Amt von der Bundes·regierung.",
    ),
    _lines(
        "Darum fragt das Ministerium die Menschen in Deutschland.",
        "Das Ministerium möchte auch Ihre Meinung wissen.",
    ),
    "## So läuft der Dialog ab",
    "Der Dialog hat 3 Teile.",
    _paragraphs(
        "1. **Die Fragen sammeln**\\\n"
        + _lines(
            "Fach·leute haben wichtige Fragen gesammelt.",
            "Fach·leute sind Menschen, die sich mit einem Thema gut auskennen.",
        ),
        "2. **Die Fragen beantworten**\\\n"
        + _lines(
            "Alle Menschen können die Fragen beantworten.",
            "Das geht im Internet.",
            "Das geht auch bei Treffen in verschiedenen Städten.",
        ),
        "3. **Die Ergebnisse zeigen**\\\n"
        + _lines(
            "Das Ministerium liest alle Antworten.",
            "Dann schreibt das Ministerium einen Bericht.",
            "Ein Bericht ist ein langer Text mit den Ergebnissen.",
            "Sie können den Bericht auf dieser Internet·seite lesen.",
        ),
    ),
    "## Die 4 Themen",
    "Es gibt 4 Themen.\\\nZu jedem Thema gibt es Fragen.",
    "### Thema 1: Arbeits·potenziale erschließen",
    _lines(
        "Viele Menschen möchten arbeiten.",
        "Aber sie haben noch keine passende Arbeit.",
        "Zum Beispiel Frauen.",
        "Oder ältere Menschen.",
        "Oder Menschen mit Behinderungen.",
        "Oder Menschen aus anderen Ländern.",
        "Wie finden diese Menschen eine gute Arbeit?",
    ),
    "### Thema 2: Transformation sozial gestalten",
    _lines(
        "Transformation heißt: Veränderung.",
        "Die Arbeit verändert sich.",
        "Zum Beispiel durch Computer.",
        "Und durch den Klima·schutz.",
        "Wie können alle Menschen gut mit den Veränderungen leben?",
    ),
    "### Thema 3: Zukunfts·kompetenzen fördern",
    _lines(
        "Kompetenzen sind Dinge, die ein Mensch gut kann.",
        "Menschen lernen in der Schule.",
        "Menschen lernen in der Ausbildung.",
        "Und Menschen lernen bei der Arbeit.",
        "Was brauchen Menschen, damit sie gut lernen können?",
    ),
    "### Thema 4: Gute Arbeit voran·bringen",
    _lines(
        "Gute Arbeit heißt zum Beispiel:",
        "Sie bekommen genug Geld für Ihre Arbeit.",
        "Ihre Arbeit ist sicher.",
        "Sie dürfen bei der Arbeit mit·bestimmen.",
        "Was gehört für Sie zu guter Arbeit?",
    ),
    "## So machen Sie mit",
    _lines(
        "Suchen Sie sich ein Thema aus.",
        "Lesen Sie die Fragen zu dem Thema.",
        "Schreiben Sie Ihre Antwort in das Feld unter der Frage.",
        "Sie müssen nicht alle Fragen beantworten.",
        "Sie müssen Ihren Namen nicht sagen.",
    ),
    _lines(
        "Sie können noch etwas über sich sagen.",
        "Zum Beispiel: In welchem Bundes·land wohnen Sie?",
        "Das ist freiwillig.",
        "Freiwillig heißt: Sie müssen das nicht machen.",
    ),
    _lines(
        "Dann schicken Sie die Antwort ab.",
        "Danach bekommen Sie einen Link.",
        "Ein Link ist eine Adresse im Internet.",
        "Mit dem Link können Sie Ihre Antwort später wieder lesen.",
        "Sie können Ihre Antwort auch ändern.",
        "Oder Sie können Ihre Antwort löschen.",
        "Heben Sie den Link gut auf.",
    ),
    "### Was passiert mit Ihrer Antwort?",
    _lines(
        "Das Ministerium liest Ihre Antwort.",
        "Manche Antworten stehen später auf dieser Internet·seite.",
        "Aber nur, wenn Sie das erlauben.",
        "Ihr Name steht nie dabei.",
    ),
    "### Treffen in Ihrer Nähe",
    _lines(
        "Es gibt auch Treffen in verschiedenen Städten.",
        "Die Treffen heißen: Hin.Gehört.",
        "Dort können Sie mit Politikerinnen und Politikern sprechen.",
        "Die Treffen kosten nichts.",
        "Die Termine stehen auf der Seite [Veranstaltungen](/veranstaltungen).",
    ),
    "## Brauchen Sie Hilfe?",
    _lines(
        "Haben Sie eine Frage?",
        "Dann schreiben Sie uns eine E-Mail.",
        "Das ist unsere E-Mail-Adresse: kontakt@zukunftsdialog.example",
    ),
)

SIGN_LANGUAGE_TITLE = "Gebärdensprache"
SIGN_LANGUAGE_BODY = _paragraphs(
    "Hier stellen wir den Zukunftsdialog „Mission Fachkraft“ in Deutscher Gebärdensprache "
    "vor: worum es geht, wie der Dialog abläuft, welche vier Themenfelder es gibt und wie Sie "
    "mitmachen können.",
    "Sie möchten eine Veranstaltung besuchen und brauchen eine Gebärdensprachdolmetschung? "
    "Geben Sie das bei der Anmeldung unter „Unterstützungsbedarf“ an. Wir organisieren die "
    "Dolmetschung für Sie.",
    "Fragen zum Zukunftsdialog beantworten wir gern per E-Mail: kontakt@zukunftsdialog.example",
)

STATEMENT_TITLE = "Erklärung zur Barrierefreiheit"
STATEMENT_BODY = _paragraphs(
    "**Demo-Inhalt:** Vor dem Start prüft das Ministerium die Website (BITV-Test) und passt "
    "diese Erklärung an das Ergebnis an.",
    "Das durchführende Bundesministerium ist bemüht, die Website des Zukunftsdialogs „Mission "
    "Fachkraft“ im Einklang mit den Bestimmungen des Behindertengleichstellungsgesetzes (BGG) "
    "und der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) zur Umsetzung der "
    "Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.",
    "## Stand der Vereinbarkeit mit den Anforderungen",
    "Diese Website ist wegen der unten aufgeführten Ausnahmen **teilweise** mit der BITV 2.0 "
    "vereinbar. Sie soll die Anforderungen der WCAG 2.1 auf Stufe AA (EN 301 549) erfüllen: "
    "Jede Seite funktioniert ohne JavaScript und mit der Tastatur allein, lässt sich bis 200 "
    "Prozent vergrößern und bei 320 Pixel Breite ohne Verlust von Inhalten lesen und lädt "
    "keine Inhalte von Dritten.",
    "## Nicht barrierefreie Inhalte",
    "Die folgenden Inhalte sind nicht oder noch nicht barrierefrei:\n\n"
    "- **Video in Deutscher Gebärdensprache:** Das Video, das die Inhalte dieser Website in "
    "Deutscher Gebärdensprache erklärt (§ 4 BITV 2.0), wird noch erstellt. Bis dahin finden "
    "Sie die Informationen als Text und in [Leichter Sprache](/seite/leichte-sprache).\n"
    "- **Beiträge von Bürgerinnen und Bürgern:** Veröffentlichte Antworten stehen so da, wie "
    "sie geschrieben wurden. Sie liegen nicht in Leichter Sprache vor.\n"
    "- **Dokumente zum Herunterladen:** Der Ergebnisbericht als PDF ist möglicherweise nicht "
    "vollständig barrierefrei. Er wird zusätzlich als Webseite (HTML) oder als Textdokument "
    "(DOCX) angeboten.",
    "## Erstellung dieser Erklärung zur Barrierefreiheit",
    "Diese Erklärung beruht auf einer Selbstbewertung. Jede Seite wird bei jeder Änderung "
    "automatisch mit dem Prüfwerkzeug axe-core auf die Anforderungen der WCAG 2.1 (Stufen A "
    "und AA) geprüft, auf Deutsch und auf Englisch, auch mit Fehlermeldungen in Formularen. "
    "Die wichtigsten Abläufe werden zusätzlich mit der Tastatur allein und ohne JavaScript "
    "getestet. Wann die Erklärung zuletzt überprüft wurde, steht am Ende dieser Seite.",
    "## Feedback und Kontakt",
    "Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieser Website aufgefallen? "
    "Oder haben Sie Fragen zur Barrierefreiheit? Dann melden Sie sich bei uns:\n\n"
    "- mit dem [Formular „Barriere melden“](#rueckmeldung) auf dieser Seite,\n"
    "- per E-Mail an barrierefreiheit@ministerium.example,\n"
    "- per Post an die Anschrift im [Impressum](/seite/impressum).\n\n"
    "Wir bestätigen den Eingang und antworten Ihnen innerhalb von sechs Wochen.",
    "## Schlichtungsverfahren",
    "Wenn auch nach Ihrem Feedback an den oben genannten Kontakt keine zufriedenstellende "
    "Lösung gefunden wurde, können Sie sich an die Schlichtungsstelle nach § 16 BGG wenden. "
    "Die Schlichtungsstelle BGG hat die Aufgabe, bei Konflikten zum Thema Barrierefreiheit "
    "zwischen Menschen mit Behinderungen und öffentlichen Stellen des Bundes eine "
    "außergerichtliche Streitbeilegung zu unterstützen. Das Schlichtungsverfahren ist "
    "kostenlos. Es muss kein Rechtsbeistand eingeschaltet werden.",
    "Weitere Informationen zum Schlichtungsverfahren und zur Antragstellung erhalten Sie "
    "unter https://www.schlichtungsstelle-bgg.de. Direkt erreichen Sie die Schlichtungsstelle "
    "BGG per E-Mail an info@schlichtungsstelle-bgg.de.",
)
