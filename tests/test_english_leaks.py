"""The reader of Welsh pages that test_welsh_everywhere relies on: it must see English where a
Welsh reader would, and nowhere else."""

from tests.english_leaks import catalogue_english, catalogue_pattern, english_leaks, html_texts, peoples_phrases

BUTTONS = catalogue_english([("Continue", "Parhau"), ("Hello %(name)s", "Helo %(name)s"), ("pb", "pb")])


def test_english_sentences_on_a_welsh_letter_are_found():
    # The Welsh letter as it was printed: half its sentences came through an unknown alias.
    letter = """<html lang="cy"><body><div lang="cy"><p>Eich cod pleidleisio</p>
    <p>You can vote on how money is spent in your area.</p>
    <p>I bleidleisio, ewch i</p><strong>https://pb.example/cy/rounds/3/vote/code</strong>
    <p>and enter your code, or scan the square code with a phone.</p></div></body></html>"""
    assert english_leaks(letter) == [
        "You can vote on how money is spent in your area.",
        "and enter your code, or scan the square code with a phone.",
    ]


def test_text_marked_as_english_and_peoples_own_words_are_not_leaks():
    page = """<html lang="cy"><body><a href="/en/" lang="en">English</a>
    <h2 lang="en">Benches for the park and the river path</h2>
    <p>Sylw gan Sam: “Please fix the lights on the bridge”</p>
    <p>Mae'r prosiect yn y parc.</p></body></html>"""
    people = peoples_phrases(["Please fix the lights on the bridge", "Sam"])
    assert english_leaks(page, people=people) == []
    assert english_leaks(page) == ["Sylw gan Sam: “Please fix the lights on the bridge”"]


def test_a_one_word_english_button_is_found_by_the_catalogue():
    page = """<html lang="cy"><body><button>Continue</button><input type="submit" value="Parhau">
    <a aria-label="Continue">→</a></body></html>"""
    assert english_leaks(page, interface_english=BUTTONS) == ["Continue"]
    assert "Helo %(name)s" not in BUTTONS and "Hello %(name)s" not in BUTTONS


def test_welsh_that_shares_short_words_with_english_is_welsh():
    for welsh in ("Mae hi am fynd i'r dre at y parc", "Gall 3 o bobl ddod: dim ond can punt", "O'r ardal i'r dref"):
        assert english_leaks(f"<p>{welsh}</p>") == [], welsh


def test_scripts_styles_and_pictures_are_not_read_but_their_names_are():
    page = """<html lang="cy"><head><style>.the-and {}</style><script>var you = "the";</script></head>
    <body><svg><text>the and</text></svg><img alt="A photo of the new play area"></body></html>"""
    assert english_leaks(page) == ["A photo of the new play area"]
    assert ("A photo of the new play area", "cy") in html_texts(page, "cy")


def test_plain_text_emails_are_read_line_by_line():
    email = "Helo Sam,\n\nThere is a new update on the project.\n\nDarllenwch: https://pb.example/cy/x\n"
    assert english_leaks(email, html=False) == ["There is a new update on the project."]


def test_a_label_is_not_excused_by_appearing_inside_someones_words():
    page = "<html lang='cy'><body><p>Continue</p><p>Play area and benches for the park</p></body></html>"
    people = peoples_phrases(["Play area and benches for the park\nContinue to the river and the park"])
    assert english_leaks(page, people=peoples_phrases(["Play area and benches for the park and the river"])) == [
        "Play area and benches for the park"
    ]  # a part of someone's words is not their words
    # the whole title is someone's words; the one-word button is the catalogue's, whatever anyone wrote
    assert english_leaks(page, people=people, interface_english=BUTTONS) == ["Continue"]
    assert english_leaks(
        page, people=peoples_phrases(["Continue", "Play area and benches for the park"]), interface_english=BUTTONS
    ) == ["Continue"]


def test_an_english_message_with_welsh_values_is_found_by_its_pattern():
    pattern = catalogue_pattern(
        [
            ("Voting closes on %(date)s at %(time)s.", "Mae'r bleidlais yn cau ar %(date)s am %(time)s."),
            ("%(a)s – %(b)s", "%(a)s – %(b)s"),
        ]
    )
    assert pattern is not None and pattern.pattern.count("(?:") == 1  # a message of values alone is never matched
    page = "<html lang='cy'><body><p>Voting closes on 3 Mehefin 2027 at 17:00.</p><p>Mae'r bleidlais yn cau ar 3 Mehefin 2027 am 17:00.</p></body></html>"
    assert english_leaks(page, interface_pattern=pattern) == ["Voting closes on 3 Mehefin 2027 at 17:00."]


def test_words_inside_an_address_do_not_make_a_welsh_sentence_english():
    line = "I atal y negeseuon: http://testserver/cy/unsubscribe/7.round.4.b355 neu /cy/rounds/4/vote/results"
    assert english_leaks(line, html=False) == []
    assert english_leaks("You get this email because you follow this: http://testserver/cy/unsubscribe/7", html=False) != []


def test_a_listing_that_shortens_someones_words_still_shows_their_words():
    people = peoples_phrases(["The council has wasted money on consultants again. This proposal will go the same way."])
    shortened = "<p>The council has wasted money on consultants again. This proposal will go the sam</p>"
    assert english_leaks(shortened, people=people) == []
    assert english_leaks("<p>The council has wasted money</p>", people=people) != []  # too short to tell
