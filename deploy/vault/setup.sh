#!/usr/bin/env bash
# Configures a real Vault for token-broker (run once, as a Vault admin, with the vault CLI):
#   - the Transit engine and a derived AES-256-GCM key (row identity as context),
#   - the KV v2 engine for providers' client secrets,
#   - a least-privilege policy (its own Transit key and KV v2 subtree, nothing else),
#   - the Kubernetes auth role bound to the token-broker ServiceAccount (deploy/kubernetes).
# Idempotent: existing mounts, keys and roles are left as they are.
#
#   VAULT_ADDR=https://vault.example:8200 VAULT_TOKEN=<admin token> \
#   K8S_HOST=https://kubernetes.default.svc deploy/vault/setup.sh
#
# Then run the broker with
#   BROKER_CRYPTO_PROVIDER=vault-transit BROKER_SECRETS_STORE=vault-kv
#   BROKER_CRYPTO_VAULT_TRANSIT_KEY_NAME=$KEY_NAME BROKER_SECRETS_VAULT_KV_MOUNT=$KV_MOUNT
#   BROKER_SECRETS_VAULT_KV_PATH=$KV_PATH
#   QUARKUS_VAULT_URL=$VAULT_ADDR QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE=token-broker
# (or QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN=<token> in development).
set -euo pipefail

: "${VAULT_ADDR:?set VAULT_ADDR}"
# the Quarkus Vault Transit engine uses the default mount
TRANSIT_MOUNT=transit
KV_MOUNT="${KV_MOUNT:-secret}"
KEY_NAME="${KEY_NAME:-token-broker}"
ROLE="${VAULT_ROLE:-token-broker}"
K8S_NAMESPACE="${K8S_NAMESPACE:-token-broker}"
K8S_SERVICE_ACCOUNT="${K8S_SERVICE_ACCOUNT:-token-broker}"
KV_PATH="${KV_PATH:-token-broker/providers}"

mounted() { vault secrets list -format=json | grep -q "\"$1/\""; }

mounted "$TRANSIT_MOUNT" || vault secrets enable -path="$TRANSIT_MOUNT" transit
mounted "$KV_MOUNT" || vault secrets enable -path="$KV_MOUNT" -version=2 kv

if ! vault read -format=json "$TRANSIT_MOUNT/keys/$KEY_NAME" >/dev/null 2>&1; then
  vault write -f "$TRANSIT_MOUNT/keys/$KEY_NAME" type=aes256-gcm96 derived=true
fi
if ! vault read -format=json "$TRANSIT_MOUNT/keys/$KEY_NAME" | grep -q '"derived": true'; then
  echo "Transit key $KEY_NAME exists but is not derived; token-broker needs derived=true" >&2
  exit 1
fi

vault policy write token-broker - <<POLICY
path "$TRANSIT_MOUNT/encrypt/$KEY_NAME" { capabilities = ["update"] }
path "$TRANSIT_MOUNT/decrypt/$KEY_NAME" { capabilities = ["update"] }
path "$TRANSIT_MOUNT/rewrap/$KEY_NAME" { capabilities = ["update"] }
path "$TRANSIT_MOUNT/keys/$KEY_NAME" { capabilities = ["read"] }
# only for POST /v1/admin/crypto/rewrap {"rotate_key": true}; drop it if operators rotate the key
# themselves (the hourly re-wrap job picks up new versions either way)
path "$TRANSIT_MOUNT/keys/$KEY_NAME/rotate" { capabilities = ["update"] }
path "$KV_MOUNT/data/$KV_PATH/*" { capabilities = ["create", "read", "update"] }
# destroys every version of a deleted provider's client secret
path "$KV_MOUNT/metadata/$KV_PATH/*" { capabilities = ["delete"] }
POLICY

if ! vault auth list -format=json | grep -q '"kubernetes/"'; then
  vault auth enable kubernetes
fi
if [ -n "${K8S_HOST:-}" ]; then
  vault write auth/kubernetes/config kubernetes_host="$K8S_HOST"
fi
vault write "auth/kubernetes/role/$ROLE" \
  bound_service_account_names="$K8S_SERVICE_ACCOUNT" \
  bound_service_account_namespaces="$K8S_NAMESPACE" \
  policies=token-broker \
  ttl=1h

echo "Vault is ready for token-broker: transit key $TRANSIT_MOUNT/keys/$KEY_NAME (derived)," \
  "KV v2 at $KV_MOUNT/$KV_PATH, policy token-broker, role $ROLE"
