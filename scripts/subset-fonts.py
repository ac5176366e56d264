#!/usr/bin/env python3
"""Regenerates assets/fonts/: Noto Serif CJK SC and Noto Sans CJK SC (Regular, Bold), from
Debian's fonts-noto-cjk, and LXGW WenKai Regular (the 楷体 face), from Debian's
fonts-lxgw-wenkai, subset to what a report uses.

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai && pip install fonttools
    scripts/subset-fonts.py
    UPDATE_FONT_INFO=1 cargo test --release font_info

Kept: ASCII, Latin-1, General Punctuation, number forms, circled numbers, CJK symbols and
punctuation, full-width forms; every GB 2312 character (6,763 hanzi and the symbol rows);
the 8,105 characters of the 通用规范汉字表 (2013), which add the place-name and given-name
characters GB 2312 lacks (埇, 浉, 喆, 堃, 珺, 昇, …), read from the committed list
assets/fonts/tongyong-guifan-8105.txt, so the run needs no network; and every character of the
repository's templates, examples and labels. Only the SC faces are taken from the Noto
collections; layout features are limited to those Chinese text needs (the '*' set, or 'locl',
would pull in the JP/KR/TC variants and double the size).
"""
import pathlib
import subprocess
import sys
import tempfile

from fontTools.ttLib import TTCollection, TTFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTO = pathlib.Path("/usr/share/fonts/opentype/noto")
LXGW = pathlib.Path("/usr/share/fonts/truetype/lxgw-wenkai")
OUT = ROOT / "assets" / "fonts"
TONGYONG = OUT / "tongyong-guifan-8105.txt"
# (source file, face index or None for "the SC face of the collection", output name)
FACES = [
    (NOTO / "NotoSerifCJK-Regular.ttc", None, "NotoSerifCJKsc-Regular.otf"),
    (NOTO / "NotoSerifCJK-Bold.ttc", None, "NotoSerifCJKsc-Bold.otf"),
    (NOTO / "NotoSansCJK-Regular.ttc", None, "NotoSansCJKsc-Regular.otf"),
    (NOTO / "NotoSansCJK-Bold.ttc", None, "NotoSansCJKsc-Bold.otf"),
    (LXGW / "LXGWWenKai-Regular.ttf", 0, "LXGWWenKai-Regular.ttf"),
]


def tongyong() -> set:
    chars = [l.strip() for l in TONGYONG.read_text(encoding="utf-8").splitlines()]
    chars = [c for c in chars if c and not c.startswith("#")]
    if len(chars) != 8105 or len(set(chars)) != 8105 or any(len(c) != 1 for c in chars):
        sys.exit(f"{TONGYONG}: expected 8105 distinct characters, one a line")
    return set(chars)


def charset() -> set:
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set(chr(c) for c in range(0xA0, 0x100))
    chars |= set(chr(c) for c in range(0x2000, 0x2070))  # general punctuation
    chars |= set(chr(c) for c in range(0x2150, 0x2190))  # number forms: Ⅰ Ⅱ … ⅰ ⅱ …
    chars |= set(chr(c) for c in range(0x2460, 0x24A0))  # ①…⒇
    chars |= set(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.add("\u30FB")  # ・ katakana middle dot, typed in minority names (买买提・艾力)
    chars |= set(chr(c) for c in range(0xFF00, 0xFFF0))  # full-width forms
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= tongyong()
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
    wanted = charset()
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as t:
        t.write("".join(sorted(wanted)))
    han = tongyong()
    for path, index, dst in FACES:
        index = sc_index(path) if index is None else index
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", str(path),
                f"--font-number={index}",
                f"--text-file={t.name}",
                "--layout-features=kern,palt,halt,vert,vrt2",
                "--name-IDs=*", "--name-languages=*",
                "--no-hinting",
                f"--output-file={OUT / dst}",
            ],
            check=True,
        )
        cmap = TTFont(str(OUT / dst), lazy=True).getBestCmap()
        missing = "".join(sorted(c for c in han if ord(c) not in cmap))
        print(f"{dst}: {(OUT / dst).stat().st_size // 1024} KiB, {len(cmap)} characters"
              + (f"; lacks {len(missing)} of the 通用规范汉字表: {missing}" if missing else ""))


if __name__ == "__main__":
    main()
