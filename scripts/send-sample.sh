#!/usr/bin/env bash
# Posts a webhook body to a running ingress, signed with the development key (scripts/dev-key.sh) the way Dyte
# signs: RSA-SHA256 over the raw body, base64 in the dyte-signature header.
#   scripts/send-sample.sh [FILE.json] [URL]
# FILE defaults to the seed's meeting.started sample; URL to http://127.0.0.1:${INGRESS_PORT:-3000}/webhooks/dyte.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
file=${1:-$ROOT_DIR/test/fixtures/seed/meeting-started.json}
url=${2:-http://127.0.0.1:${INGRESS_PORT:-3000}/webhooks/dyte}
[ -f "$file" ] || die "no such file: $file (samples are in test/fixtures/seed/ and test/fixtures/domain/)"
"$ROOT_DIR/scripts/dev-key.sh" >/dev/null
signature=$(openssl dgst -sha256 -sign "$STACK_DIR/dev-keys/webhook-private.pem" "$file" | base64 -w0)
curl -sS -X POST "$url" -H 'content-type: application/json' -H "dyte-signature: $signature" \
  -H "dyte-uuid: $(cat /proc/sys/kernel/random/uuid)" --data-binary "@$file" -w '\nHTTP %{http_code}\n'
