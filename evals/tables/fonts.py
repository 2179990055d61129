"""A font with Chinese glyphs from the machine (Debian's fonts-wqy-microhei in CI), for the generated PDFs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_NAMES = ("wqy", "cjk", "simsun", "simhei", "noto sans sc")


def cjk_font() -> Path | None:
    candidates: list[str] = []
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
        candidates += [line.split(":")[0].strip() for line in out.splitlines()]
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if root.is_dir():
            candidates += [str(p) for p in root.rglob("*") if any(k in p.name.lower() for k in _NAMES)]
    return next((Path(c) for c in candidates if c.lower().endswith((".ttf", ".otf", ".ttc"))), None)
