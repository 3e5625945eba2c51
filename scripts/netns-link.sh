#!/usr/bin/env bash
# Two network namespaces joined by a veth pair, shaped like the paper's testbed:
# tbf for bandwidth and, where the kernel has it, netem for delay.
#
#   scripts/netns-link.sh up [--rate 400mbit] [--delay 5ms]   (root)
#   scripts/netns-link.sh down
#
# Hosts: snni-server at 10.213.0.1, snni-client at 10.213.0.2. Run a party in one with
# `ip netns exec snni-server ./build/snnipred ...`. Kernels without the netem qdisc
# (this project's development machine is one) get the bandwidth limit only; the script
# says so, and the delay must then come from the channel's emulation (--rtt).
set -euo pipefail

server=snni-server client=snni-client
rate=3gbit delay=0.25ms
action=${1:-}
shift || true
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate=$2; shift 2 ;;
    --delay) delay=$2; shift 2 ;;
    *) echo "netns-link: unknown option $1" >&2; exit 2 ;;
  esac
done

down() {
  ip netns del "$server" 2>/dev/null || true
  ip netns del "$client" 2>/dev/null || true
}

# Shapes egress of one end: netem (delay) with tbf (rate) below it, or tbf alone.
shape() {
  local ns=$1 dev=$2
  if ip netns exec "$ns" tc qdisc add dev "$dev" root handle 1: netem delay "$delay" 2>/dev/null; then
    ip netns exec "$ns" tc qdisc add dev "$dev" parent 1: handle 2: tbf rate "$rate" burst 256kb latency 50ms
    echo "netns-link: $ns/$dev: netem delay $delay + tbf rate $rate"
    return 0
  fi
  ip netns exec "$ns" tc qdisc add dev "$dev" root tbf rate "$rate" burst 256kb latency 50ms
  echo "netns-link: $ns/$dev: tbf rate $rate; netem is not available on this kernel," \
       "so no delay is added here: use the channel's emulation (--rtt) for latency"
  return 1
}

up() {
  [ "$(id -u)" -eq 0 ] || { echo "netns-link: must run as root" >&2; exit 1; }
  down
  ip netns add "$server"
  ip netns add "$client"
  ip link add veth-snni-s netns "$server" type veth peer name veth-snni-c netns "$client"
  ip -n "$server" addr add 10.213.0.1/24 dev veth-snni-s
  ip -n "$client" addr add 10.213.0.2/24 dev veth-snni-c
  for ns in "$server" "$client"; do ip -n "$ns" link set lo up; done
  ip -n "$server" link set veth-snni-s up
  ip -n "$client" link set veth-snni-c up
  local netem=yes
  shape "$server" veth-snni-s || netem=no
  shape "$client" veth-snni-c || netem=no
  echo "netns-link: up (netem=$netem): $server 10.213.0.1 <-> $client 10.213.0.2"
}

case "$action" in
  up) up ;;
  down) down; echo "netns-link: down" ;;
  *) echo "usage: $0 up [--rate R] [--delay D] | down" >&2; exit 2 ;;
esac
