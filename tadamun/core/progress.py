"""Progress of a long management command, as its person sees it: on a terminal, one line
rewritten in place (a bar and counts); in a file or a pipe, a line at each tenth of the way
(carriage returns there would make one huge line)."""

WIDTH = 30


def printer(stdout, what: str = ""):
    """`progress(label, done, total)` writing to a command's `stdout`; call `.end()` after."""
    on_terminal = stdout.isatty()
    last = {"label": None, "tenth": -1}

    def progress(label: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        text = f"{label}: {done}/{total} {what}".rstrip()
        if on_terminal:
            if last["label"] not in (None, label):
                stdout.write("")  # the column before keeps its finished line
            filled = int(WIDTH * share)
            stdout.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {text}\033[K", ending="")
            stdout.flush()
            last["label"] = label
            return
        tenth = int(share * 10)
        if label != last["label"]:
            last["label"], last["tenth"] = label, -1
        if tenth > last["tenth"]:
            last["tenth"] = tenth
            stdout.write(text)

    def end() -> None:
        if on_terminal and last["label"] is not None:
            stdout.write("")  # ends the line the progress rewrote
            last["label"] = None

    progress.end = end
    return progress
