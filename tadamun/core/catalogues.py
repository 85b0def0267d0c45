"""`python -m tadamun.core.catalogues`: compile every .po catalogue to .mo with polib.

Django's compilemessages needs GNU gettext installed; this needs only the Python packages,
so a fresh machine with Python alone can build the translations.
"""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    compiled = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    print(f"{len(compile_catalogues())} catalogues compiled")
