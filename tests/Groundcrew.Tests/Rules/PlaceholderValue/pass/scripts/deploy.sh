#!/bin/sh
set -eu
export IMAGE_TAG="$(git rev-parse --short HEAD)"
envsubst < k8s/deployment.yaml | kubectl apply -f -
