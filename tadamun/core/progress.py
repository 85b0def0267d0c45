"""Progress of a long management command, as its person sees it: on a terminal, one line
rewritten in place (a bar and counts); in a file or a pipe, a line at each tenth of the way
(carriage returns there would make one huge line)."""

WIDTH = 30


class printer:
    """`progress(label, done, total)` writing to a command's `stdout`; call `.end()` after."""

    def __init__(self, stdout, what: str = ""):
        self.stdout, self.what = stdout, what
        self.on_terminal = stdout.isatty()
        self.label: str | None = None
        self.tenth = -1

    def __call__(self, label: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        text = f"{label}: {done}/{total} {self.what}".rstrip()
        if self.on_terminal:
            if self.label not in (None, label):
                self.stdout.write("")  # the column before keeps its finished line
            filled = int(WIDTH * share)
            self.stdout.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {text}\033[K", ending="")
            self.stdout.flush()
            self.label = label
            return
        if label != self.label:
            self.label, self.tenth = label, -1
        if int(share * 10) > self.tenth:
            self.tenth = int(share * 10)
            self.stdout.write(text)

    def end(self) -> None:
        if self.on_terminal and self.label is not None:
            self.stdout.write("")  # ends the line the progress rewrote
            self.label = None
