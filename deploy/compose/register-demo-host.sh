#!/bin/sh
# Opens a host account, registers a 4-GPU demo machine and lists it, through the gateway; writes the
# machine's id and agent token to /demo/demo.env for the demo host agent. Runs once: a machine
# registered by an earlier start is kept.
set -eu
G=${GPUMARKET_GATEWAY:-http://gateway:8080}
if [ -s /demo/demo.env ]; then exec cat /demo/demo.env; fi
json() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
KEY=$(curl -fsS -X POST "$G/api/v1/accounts" -H 'Content-Type: application/json' \
  -d '{"name":"demo host","email":"demo-host@example.com","role":"host"}' | json apiKey)
MACHINE=$(curl -fsS -X POST "$G/api/v1/machines" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"name":"demo-rig","gpuModel":"RTX 4090","gpuCount":4,"gpuRamGb":24,"cpuCores":32,"ramGb":128,"diskGb":2000,"region":"eu-west","inetUpMbps":1000,"inetDownMbps":1000}')
ID=$(echo "$MACHINE" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
TOKEN=$(echo "$MACHINE" | json agentToken)
END=$(date -u -d '+90 days' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+90d +%Y-%m-%dT%H:%M:%SZ)
curl -fsS -X PUT "$G/api/v1/machines/$ID/listing" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "{\"gpuPricePerHour\":\"0.400000\",\"storagePricePerGbMonth\":\"0.100000\",\"bandwidthPricePerTb\":\"2.000000\",\"minGpus\":1,\"minBidPerHour\":\"0.100000\",\"reservedDiscountMax\":\"0.4\",\"endDate\":\"$END\"}" >/dev/null
printf 'HOST_KEY=%s\nGPUMARKET_MACHINE_ID=%s\nGPUMARKET_AGENT_TOKEN=%s\n' "$KEY" "$ID" "$TOKEN" > /demo/demo.env
cat /demo/demo.env
