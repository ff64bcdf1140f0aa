#!/usr/bin/env bash
set -euo pipefail
REGISTRY=305032652600.dkr.ecr.us-east-1.amazonaws.com
TAG=$(git rev-parse --short HEAD)
IMAGE="$REGISTRY/shop/web:$TAG"

docker build \
  -f web/Dockerfile \
  -t "$IMAGE" \
  web
docker push "$IMAGE"
