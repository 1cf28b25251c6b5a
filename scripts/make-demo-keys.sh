#!/bin/sh
# Regenerates sim/pki/fixtures/demo-rsa-keys.ts: the RSA-2048 demo keys of the
# carrier PKI cast (sim/pki/cast.ts). RSA key generation is slow and cannot be
# seeded in WebCrypto, so these keys are made once by OpenSSL and shipped; the
# ECDSA keys of the cast are derived from the run's seed instead.
# Usage: sh scripts/make-demo-keys.sh   (needs OpenSSL 3)
set -eu
out="$(dirname "$0")/../sim/pki/fixtures/demo-rsa-keys.ts"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
{
  echo '/**'
  echo ' * RSA-2048 demo keys for the cast (sim/pki/cast.ts), one per role. Made by'
  echo ' * `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048` (PKCS #8 PEM);'
  echo ' * regenerate with `sh scripts/make-demo-keys.sh`. Demonstration keys only:'
  echo ' * they are public, so nothing they sign or encrypt is secret.'
  echo ' */'
  echo ''
  echo 'export const DEMO_RSA_KEYS = {'
  for role in root intermediate sbc pbx attacker otherCa; do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/$role.pem" 2>/dev/null
    printf '  %s: `' "$role"
    cat "$tmp/$role.pem"
    echo '`,'
  done
  echo '} as const;'
  echo ''
  echo 'export type DemoRsaRole = keyof typeof DEMO_RSA_KEYS;'
} >"$out"
echo "wrote $out"
