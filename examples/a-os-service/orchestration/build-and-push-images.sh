#!/usr/bin/env bash
# Builds the three service images and pushes them to ECR. Run from a developer laptop:
#   cd orchestration && ./build-and-push-images.sh
set -euo pipefail

AWS_REGION="${AWS_REGION:-us-east-1}"
AWS_ACCOUNT_ID="$(aws sts get-caller-identity --query Account --output text)"
ECR_URL="${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_REGION}.amazonaws.com"

aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$ECR_URL"

# A6: no --platform: on an Apple Silicon laptop these images are linux/arm64, and the EKS nodes are amd64
# (`exec /usr/bin/dumb-init: exec format error`).
cd ../os-service
docker build -t os-service:latest .
docker tag os-service:latest "$ECR_URL/os-service:latest"
docker push "$ECR_URL/os-service:latest"

cd ../billing-service
docker build -t billing-service:latest .
docker tag billing-service:latest "$ECR_URL/billing-service:latest"
docker push "$ECR_URL/billing-service:latest"

cd ../execution-service
docker build -t execution-service:latest .
docker tag execution-service:latest "$ECR_URL/execution-service:latest"
docker push "$ECR_URL/execution-service:latest"
