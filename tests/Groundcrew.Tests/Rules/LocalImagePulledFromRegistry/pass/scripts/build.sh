#!/bin/sh
set -e
docker build -t vextrus/finance:week4-prod-final -f services/finance/Dockerfile .
kind load docker-image vextrus/finance:week4-prod-final
