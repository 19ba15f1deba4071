#!/usr/bin/env bash
# Creates a local development webhook key pair (once) in .stack/dev-keys/, standing in for Dyte's: the ingress
# verifies with the public key, and samples are signed with the private one. Prints the public key's path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
dir=$STACK_DIR/dev-keys
if [ ! -f "$dir/webhook-public.pem" ]; then
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/webhook-private.pem" 2>/dev/null
  openssl pkey -in "$dir/webhook-private.pem" -pubout -out "$dir/webhook-public.pem"
  chmod 600 "$dir/webhook-private.pem"
  say "created a development webhook key pair in $dir" >&2
fi
echo "$dir/webhook-public.pem"
