# Shared by helm/bin/*: where things are, and the environment's defaults.
# shellcheck shell=bash
HELM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$HELM_DIR/.." && pwd)
# helmfile environment: minikube (default) or production
RINGKV_ENV=${RINGKV_ENV:-minikube}
# release and namespace, as in helmfile.yaml
RINGKV_RELEASE=${RINGKV_RELEASE:-ringkv}
RINGKV_NAMESPACE=${RINGKV_NAMESPACE:-ringkv}
# the image the minikube values expect (values/minikube.yaml)
RINGKV_IMAGE=${RINGKV_IMAGE:-ringkv/kv-server:dev}

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$(basename "$0"): needs '$tool' on the PATH (docs/kubernetes.md)" >&2; exit 1; }
  done
}
