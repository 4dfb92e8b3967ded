#!/usr/bin/env bash
# The Debian packages the tests use, brought by the test command itself (npm's `pretest`),
# so `npm test` works on a fresh Debian machine as the README says:
#   poppler-utils   pdftotext, the yardstick of the extraction benchmark and corpus checks
#   chromium        the web apps and the public site are tested in a real browser (test/e2e)
#   default-jre-headless  vnu (npm vnu-jar), the HTML validator every generated page passes
#   fonts-noto-cjk  the phone and large-text checks measure real Chinese text layout
# As root with apt-get it installs what is missing; otherwise it names the exact command.
set -euo pipefail

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
fc-list 2>/dev/null | grep -qi 'Noto.*CJK' || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== 安装测试所需的系统软件包 / installing the system packages the tests need: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi

cat >&2 <<MSG
测试需要以下系统软件包，本机缺少：${need[*]}。请以管理员身份安装后重试：
The tests need these system packages, missing here: ${need[*]}. Install them, then run the tests again:

  sudo apt-get update && sudo apt-get install -y ${need[*]}
MSG
exit 1
