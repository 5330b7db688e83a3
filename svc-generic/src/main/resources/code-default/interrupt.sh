#!/bin/bash
# The generic service's default interrupt.sh: records when and where it ran, for a first look at the service.
{
  echo "== $(date -u '+%Y-%m-%dT%H:%M:%SZ') interrupt.sh $*"
  echo "MY_IP=$MY_IP MY_ROLE=$MY_ROLE MASTER_IP=$MASTER_IP"
  echo "agents: $(cat "$HOME/agents.json" 2>/dev/null)"
} >> "$HOME/generic.out"
