"""The progress of a long command: a bar rewritten in place on a terminal, a line a tenth in
a file (tadamun/core/progress.py)."""

import io

from django.core.management.base import OutputWrapper

from tadamun.core.progress import printer


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_in_a_file_a_line_at_each_tenth_of_each_column_and_no_carriage_return():
    out = io.StringIO()
    progress = printer(OutputWrapper(out), "rows")
    for done in range(101):
        progress("supporters.Supporter.email", done, 100)
    progress("events.Rsvp.name", 0, 0)  # an empty column still says so
    progress.end()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0] == "supporters.Supporter.email: 0/100 rows"
    assert lines[10] == "supporters.Supporter.email: 100/100 rows"
    assert lines[11:] == ["events.Rsvp.name: 0/0 rows"]


def test_on_a_terminal_one_bar_per_column_rewritten_in_place():
    out = Terminal()
    progress = printer(OutputWrapper(out), "rows")
    for done in (10, 20):
        progress("a.B.c", done, 20)
    progress("d.E.f", 1, 4)
    progress.end()
    text = out.getvalue()
    assert text.count("\n") == 2  # one finished line per column
    assert "\r[###############...............] a.B.c: 10/20 rows" in text
    assert text.split("\n")[0].endswith("[##############################] a.B.c: 20/20 rows\x1b[K")
    assert "d.E.f: 1/4 rows" in text.split("\n")[1]
