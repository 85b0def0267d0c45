from tadamun.core.markdown import first_paragraph_html, render_markdown


def test_raw_html_and_scripts_are_escaped_not_rendered():
    html = render_markdown('Hello <script>alert(1)</script> <b onclick="x()">bold</b>')
    assert "<script" not in html
    assert "<b " not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_dropped():
    html = render_markdown("[click](javascript:alert(1)) <a href='javascript:x()'>a</a>")
    assert "<a " not in html  # neither link is made: one is refused, the other escaped


def test_images_are_never_rendered_so_no_page_fetches_another_host():
    html = render_markdown("![tracker](https://tracker.example.com/pixel.png)")
    assert "<img" not in html


def test_links_get_rel_noopener_and_headings_start_at_h2():
    html = render_markdown("# Title\n\n[UNHCR](https://www.unhcr.org/)")
    assert "<h1" not in html and "<h2>Title</h2>" in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_tables_and_lists_survive_sanitising():
    html = render_markdown("1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<ol>" in html and "<table>" in html


def test_first_paragraph_is_the_opening():
    assert first_paragraph_html("<p>One</p><p>Two</p>") == "<p>One</p>"
    assert first_paragraph_html("<ul><li>x</li></ul>") == ""


def test_an_image_leaves_its_description_behind():
    html = render_markdown("![A vigil in Lyon](https://cdn.example.net/vigil.jpg)")
    assert "A vigil in Lyon" in html and "cdn.example.net" not in html
