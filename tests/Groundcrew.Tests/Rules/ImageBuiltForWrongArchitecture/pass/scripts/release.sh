#!/usr/bin/env bash
# Developer release script.
set -euo pipefail
REGISTRY=305032652600.dkr.ecr.us-east-1.amazonaws.com
PLATFORM="${PLATFORM:-linux/amd64}"

# The final stage of web/Dockerfile pins linux/amd64.
docker build -t "$REGISTRY/shop/web:latest" web
docker push "$REGISTRY/shop/web:latest"

# --platform from a variable: not guessed.
docker build --platform "$PLATFORM" -t "$REGISTRY/shop/jobs:latest" jobs
docker push "$REGISTRY/shop/jobs:latest"

# Built but only loaded locally, never pushed.
docker build -t shop/api:dev .

# The target of this image (an EC2 task definition) has no known architecture.
docker build -t "$REGISTRY/shop/batch:latest" batch
docker push "$REGISTRY/shop/batch:latest"
