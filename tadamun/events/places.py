"""Where an event is, said once: "Place Beauvau, 75008 Paris, France", not
"Place Beauvau, Place Beauvau, 75008 Paris, Paris, France".

Organisers often type the venue into the address, or the city into both: each part is cut
at its commas, and a piece already said is left out: the same words, or a town already
given with its postcode ("Paris" after "75008 Paris" or "London" after "London SW1A 2AA",
but not after "Rue de Paris").
"""

import re


def _said_in(piece: str, earlier: list[str]) -> bool:
    piece = piece.casefold()
    for kept in (k.casefold() for k in earlier):
        if kept == piece:
            return True
        for rest in (kept.removesuffix(f" {piece}"), kept.removeprefix(f"{piece} ")):
            if rest != kept and re.search(r"\d", rest):
                return True
    return False


def location_parts(*parts: str) -> list[str]:
    """The pieces of `parts` worth saying, in order (a page isolates each one)."""
    kept: list[str] = []
    for part in parts:
        for piece in (p.strip() for p in (part or "").split(",")):
            if piece and not _said_in(piece, kept):
                kept.append(piece)
    return kept


def location(*parts: str) -> str:
    return ", ".join(location_parts(*parts))
