#!/usr/bin/env bash
# Extract every translatable message into pb/locale/messages.pot and merge it into the Welsh
# catalogue. New messages arrive untranslated; tests/test_translations.py fails until they are.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m babel.messages.frontend extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 -k NC_:1c,2 \
  --no-location --sort-output --project=pb --copyright-holder="pb contributors" -o pb/locale/messages.pot . >/dev/null
if [ -f pb/locale/cy/LC_MESSAGES/messages.po ]; then
  "$PY" -m babel.messages.frontend update -i pb/locale/messages.pot -d pb/locale -l cy --no-fuzzy-matching >/dev/null
else
  "$PY" -m babel.messages.frontend init -i pb/locale/messages.pot -d pb/locale -l cy >/dev/null
fi
grep -c '^msgid' pb/locale/messages.pot | sed 's/^/messages: /'
