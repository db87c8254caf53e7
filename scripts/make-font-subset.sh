#!/usr/bin/env bash
# Regenerates assets/fonts/NotoSansSC-Regular-subset.otf: Noto Sans CJK SC Regular (SIL OFL 1.1)
# subset to ASCII, the 7,445 GB2312 characters, CJK punctuation, full-width forms and a few
# symbols. Needs Debian's fonts-noto-cjk and fonttools (pip install fonttools). Not needed to
# build or run xxgk: the subset is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
chars=$(mktemp)
python3 - "$chars" <<'PY'
import sys
out = set(chr(c) for c in range(0x20, 0x7f))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            out.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
extra = "（）【】《》〈〉「」『』、。，；：？！“”‘’…—－～·％＋＝／①②③④⑤⑥⑦⑧⑨⑩ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ℃‰№→←↑↓沭"
out.update(extra)
out.update(chr(c) for c in range(0xFF01, 0xFF5F))
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(out)))
PY
pyftsubset "$src" --font-number=2 --text-file="$chars" --no-hinting --layout-features='' \
  --output-file=assets/fonts/NotoSansSC-Regular-subset.otf
rm -f "$chars"
ls -l assets/fonts/NotoSansSC-Regular-subset.otf
