#!/usr/bin/env bash
# The Debian packages the tests use, brought by the test command itself (npm's `pretest`),
# so `npm test` works on a fresh Debian machine as the README says:
#   poppler-utils   pdftotext, the yardstick of the extraction benchmark and corpus checks
#   chromium        the web apps and the public site are tested in a real browser (test/e2e)
#   default-jre-headless  vnu (npm vnu-jar), the HTML validator every generated page passes
#   fonts-noto-cjk  the phone and large-text checks measure real Chinese text layout
# With --bench (npm's `prebench`), also what `npm run bench` compares against:
#   tesseract-ocr, tesseract-ocr-chi-sim  the OCR bench's reference engine with its Chinese model
# As root with apt-get it installs what is missing; otherwise it names the exact command.
set -euo pipefail

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    *) echo "usage: $0 [--bench]" >&2; exit 2 ;;
  esac
done

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# grep reads all of fc-list's output (not -q): an early exit would make fc-list fail on SIGPIPE
# under pipefail, and the font be reported missing when it is not.
fc-list 2>/dev/null | grep -i 'Noto.*CJK' >/dev/null || need+=(fonts-noto-cjk)
if [ "$bench" = 1 ]; then
  command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
  # chi_sim: the model the OCR bench reads Chinese with (tesseract --list-langs).
  { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -x 'chi_sim' >/dev/null; } || need+=(tesseract-ocr-chi-sim)
fi
[ ${#need[@]} -eq 0 ] && exit 0

what=测试
purpose='the tests need'
again='run the tests again'
if [ "$bench" = 1 ]; then
  what=测试和基准测试
  purpose='the tests and the benchmarks need'
  again='run the command again'
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== 安装${what}所需的系统软件包 / installing the system packages ${purpose}: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
${what}需要以下系统软件包，本机缺少：${need[*]}。请以管理员身份安装后重试：
The ${purpose#the } these system packages, missing here: ${need[*]}. Install them, then ${again}:

  sudo apt-get update && sudo apt-get install -y ${need[*]}
MSG
exit 1
