#!/usr/bin/env python3
"""Regenerates assets/fonts/: Noto Serif CJK SC and Noto Sans CJK SC (Regular, Bold),
from Debian's fonts-noto-cjk, subset to what a report uses.

    apt-get install fonts-noto-cjk && pip install fonttools && scripts/subset-fonts.py

Kept: ASCII, Latin-1 punctuation, General Punctuation, CJK symbols and punctuation, every
GB 2312 character (6,763 hanzi and the symbol rows), full-width forms, circled numbers,
and every character of the repository's templates, examples and labels. Only the SC
faces are taken from the collections; layout features are limited to those Chinese text
needs (the '*' set would pull in the JP/KR/TC variants and double the size).
"""
import pathlib
import subprocess
import sys
import tempfile

from fontTools.ttLib import TTCollection

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = pathlib.Path("/usr/share/fonts/opentype/noto")
OUT = ROOT / "assets" / "fonts"
FACES = [
    ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"),
]


def charset() -> set:
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set(chr(c) for c in range(0xA0, 0x100))
    chars |= set(chr(c) for c in range(0x2000, 0x2070))  # general punctuation
    chars |= set(chr(c) for c in range(0x2460, 0x24A0))  # ①…⒇
    chars |= set(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars |= set(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for pattern in ("templates/*", "examples/*.yaml", "src/**/*.rs"):
        for f in ROOT.glob(pattern):
            chars |= set(f.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable() or c == "\u3000"}


def sc_index(path: pathlib.Path) -> int:
    for i, font in enumerate(TTCollection(str(path)).fonts):
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC") and "Mono" not in name:
            return i
    sys.exit(f"{path}: no SC face")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as t:
        t.write("".join(sorted(charset())))
    for src, dst in FACES:
        path = SRC / src
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", str(path),
                f"--font-number={sc_index(path)}",
                f"--text-file={t.name}",
                "--layout-features=kern,palt,halt,vert,vrt2,locl",
                "--name-IDs=*", "--name-languages=*",
                "--no-hinting",
                f"--output-file={OUT / dst}",
            ],
            check=True,
        )
        print(f"{dst}: {(OUT / dst).stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
