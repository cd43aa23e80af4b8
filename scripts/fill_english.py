"""Fill the English catalogue: source strings are English, so each translation is its msgid."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = (Path(__file__).resolve().parent.parent / "app" / "translations" / "en" / "LC_MESSAGES"
      / "messages.po")


def main() -> None:
    """Copy every msgid into an empty or fuzzy msgstr."""
    with open(PO, "rb") as fh:
        catalogue = read_po(fh, locale="en")
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        elif not message.string or message.fuzzy:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(PO, "wb") as fh:
        write_po(fh, catalogue, omit_header=False, sort_output=True, width=100)


if __name__ == "__main__":
    main()
