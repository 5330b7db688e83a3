#!/usr/bin/env python3
"""Prints the figures of bench/scale.sh beside issue 12's scale goals (heap <= 512 MB, list p99 <= 50 ms)."""
import sys

results, apps, per_service, heap_limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
r = {}
with open(results) as f:
    for line in f:
        key, _, value = line.strip().partition(" ")
        r[key] = value


def num(key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None


def row(what, value, goal="", verdict=""):
    print(f"| {what:<58} | {value:>22} | {goal:>10} | {verdict:<5} |")


def check(value, limit):
    return "" if value is None else ("PASS" if value <= limit else "MISS")


wanted = apps * per_service
print(f"\nScale mode: {apps} applications x 1 helloworld service x {per_service} nodes = {wanted} simulated nodes,"
      f" director heap limit {heap_limit}")
print(f"{r.get('date', '?')}, {r.get('cores', '?')} cores, {r.get('ram_gib', '?')} GiB RAM, "
      f"CPU steal {r.get('steal_pct', '?')} %, load average before the list load {r.get('loadavg_lists', '?')}, "
      f"at the end {r.get('loadavg', '?')}\n")
print(f"| {'measure':<58} | {'ours':>22} | {'goal':>10} | {'':<5} |")
print(f"|{'-' * 60}|{'-' * 24}|{'-' * 12}|{'-' * 7}|")
row("nodes RUNNING / services RUNNING", f"{r.get('nodes_running', '?')} / {r.get('services_running', '?')}",
    f"{wanted} / {apps}", "" if r.get("nodes_running") == str(wanted) else "MISS")
row("starts tried again (the director refused or failed one)", r.get("retries", "?"))
row("all nodes started (create + start + add)", f"{r.get('create_s', '?')} s")
live, committed = num("heap_live_mb"), num("heap_committed_mb")
row("director heap: live after full GC / committed", f"{r.get('heap_live_mb', '?')} / {r.get('heap_committed_mb', '?')} MB",
    "<= 512 MB", check(committed, 512))
row("  same, after the list load", f"{r.get('heap_live_after_mb', '?')} / {r.get('heap_committed_after_mb', '?')} MB",
    "<= 512 MB", check(num("heap_committed_after_mb"), 512))
row("director RSS idle / after the list load", f"{r.get('rss_mb', '?')} / {r.get('rss_load_mb', '?')} MB")
row("director CPU while idle (health checks only)", f"{r.get('idle_cpu_pct', '?')} % of a core")
row("director threads", r.get("director_threads", "?"))
row("simulator RSS (all agents)", f"{r.get('sim_rss_mb', '?')} MB")
for key, what in (("apps", f"GET /applications ({apps} applications)"),
                  ("nodes", f"GET one service's nodes ({per_service} nodes)"),
                  ("resources", f"GET /resources (every node, {wanted})")):
    p99 = num(f"{key}_p99_ms")
    failed = r.get(f"{key}_failed", "?")
    row(what + ": p99", f"{r.get(key + '_p99_ms', '?')} ms", "<= 50 ms", check(p99, 50))
    row("  req/s (failed); director CPU per answer", f"{r.get(key + '_rps', '?')} ({failed}); {r.get(key + '_cpu_ms', '?')} ms")
row("state change: one node added -> RUNNING", f"{r.get('add_node_s', '?')} s ({r.get('add_node_state', '?')})")
row(f"state change: service of {per_service + 1} nodes stopped -> STOPPED", f"{r.get('stop_s', '?')} s ({r.get('stop_state', '?')})")
row("state change: service started again -> RUNNING", f"{r.get('start_s', '?')} s ({r.get('start_state', '?')})")
