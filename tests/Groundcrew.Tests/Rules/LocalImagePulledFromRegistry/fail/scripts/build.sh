#!/bin/sh
set -e
docker build -t vextrus/finance:week4-prod-final \
  -f services/finance/Dockerfile .
kind load docker-image vextrus/worker:latest --name vextrus
kubectl apply -f k8s/
