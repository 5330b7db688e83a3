#!/usr/bin/env python3
"""Prints the figures of bench/run.sh beside the goals of issue 12, and beside Brooklyn's when given.

Usage: report.py OURS_RESULTS [BROOKLYN_RESULTS]. A results file holds one "key value" per line (bench/lib.sh's
record). Goals relative to Brooklyn use its figures of this run when given, else the ones issue 12 measured.
"""
import math
import sys

# Brooklyn 1.1.0 as issue 12 measured it (2 cores, steal 0 %): the reference when no Brooklyn run is given.
ISSUE_BROOKLYN = {"first_rps": 911, "steady_rps": 2355}


def load(path):
    values = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            values[key] = value
    return values


def number(values, key):
    if key.endswith("_s") and values.get(key[:-2] + "_failed") == "yes":
        return math.inf  # the step ended without every process running: shown as failed, never a PASS
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return math.nan


def rows_for(ref):
    """The rows of issue 12's table: label, key, unit, goal text, check (None: no goal)."""
    def at_most(limit):
        return lambda v: v <= limit

    def relative(goal):  # None (n/a) when Brooklyn answered no request with a 2xx: any rate would "pass"
        return (lambda v: v >= goal) if goal > 0 else None

    first_goal = 3 * ref("first_rps")
    steady_goal = 2 * ref("steady_rps")
    return [
        # label, key, unit, goal text, check
        ("boot -> REST answering", "rest_s", "s", "<= 5 s", at_most(5)),
        ("boot -> ready (all types listed)", "ready_s", "s", "<= 6 s", at_most(6)),
        ("restart -> REST answering (same installation)", "restart_s", "s", "<= 5 s", at_most(5)),
        ("one service, one real process -> RUNNING", "one_s", "s", "<= 0.8 s", at_most(0.8)),
        ("10 nodes -> RUNNING", "ten_s", "s", "<= 3 s", at_most(3)),
        ("50 nodes -> RUNNING (--nodes50)", "fifty_s", "s", "<= 15 s", at_most(15)),
        ("GET /applications x16, first 10 s: req/s", "first_rps", "req/s",
         f">= 3x Brooklyn = {first_goal:.0f}", relative(first_goal)),
        ("  ... p99", "first_p99_ms", "ms", "-", None),
        ("GET /applications x16, steady: req/s", "steady_rps", "req/s",
         f">= 2x Brooklyn = {steady_goal:.0f}", relative(steady_goal)),
        ("  ... p99", "steady_p99_ms", "ms", "<= 20 ms", at_most(20)),
        ("director RSS after boot", "rss_boot_mb", "MB", "<= 250 MB", at_most(250)),
        ("director RSS after REST load", "rss_load_mb", "MB", "<= 350 MB", at_most(350)),
        ("agent RSS", "agent_rss_mb", "MB", "<= 40 MB", at_most(40)),
    ]


DECIMALS = {"s": 2, "ms": 1}


def shown(v, unit):
    if math.isinf(v):
        return "failed"
    return "-" if math.isnan(v) else f"{v:.{DECIMALS.get(unit, 0)}f} {unit}"


def main():
    if sys.argv[1] == "--brooklyn":  # Brooklyn's figures alone (bench/brooklyn.sh run by itself)
        theirs = load(sys.argv[2])
        for label, key, unit, _, _ in rows_for(lambda k: math.nan):
            print(f"{label:44} {shown(number(theirs, key), unit):>12}")
        print(f"one service ended {theirs.get('one_state', '-')}, 10 nodes ended {theirs.get('ten_state', '-')} "
              f"(status/running processes); first 10 s: REST answered after {theirs.get('rest1_s', '-')} s, "
              f"{theirs.get('first_failed', '-')} non-2xx answers (403 until it is master) or socket errors "
              f"({theirs.get('first_all_rps', '-')} answers/s in all)")
        machine("Brooklyn", theirs)
        return
    ours = load(sys.argv[1])
    theirs = load(sys.argv[2]) if len(sys.argv) > 2 else None
    ref = (lambda k: number(theirs, k)) if theirs else (lambda k: float(ISSUE_BROOKLYN[k]))
    ref_note = "this run's Brooklyn" if theirs else "issue 12's Brooklyn"
    b = lambda k: number(theirs, k) if theirs else math.nan

    rows = rows_for(ref)
    header = f"{'measure':44} {'ours':>12} {'goal':>22} {'':5}"
    if theirs:
        header += f" {'Brooklyn':>12} {'ours/Brooklyn':>14}"
    print()
    print(header)
    print("-" * len(header))
    for label, key, unit, goal, check in rows:
        v = number(ours, key)
        verdict = "" if math.isnan(v) or goal == "-" else "n/a" if check is None else "PASS" if check(v) else "MISS"
        line = f"{label:44} {shown(v, unit):>12} {goal:>22} {verdict:5}"
        if theirs:
            w = b(key)
            line += f" {shown(w, unit):>12}"
            ratio = "-" if any(math.isnan(x) or math.isinf(x) for x in (v, w)) or w == 0 else f"{v / w:.2f}"
            line += f" {ratio:>14}"
        print(line)
    print()
    extra = [f"hot deploy {ours.get('hotdeploy_s', '-')} s",
             f"one service ended {ours.get('one_state', '-')}, 10 nodes ended {ours.get('ten_state', '-')} "
             "(state/RUNNING nodes of the service)",
             f"first 10 s: REST answered after {ours.get('rest1_s', '-')} s, "
             f"{ours.get('first_failed', '-')} non-2xx answers or socket errors "
             f"({ours.get('first_all_rps', '-')} answers/s in all)"]
    if "fifty_state" in ours:
        extra.append(f"50 nodes ended {ours['fifty_state']}")
    print("ours: " + "; ".join(extra))
    if theirs:
        print(f"Brooklyn: one service ended {theirs.get('one_state', '-')}, "
              f"10 nodes ended {theirs.get('ten_state', '-')}; "
              f"first 10 s: REST answered after {theirs.get('rest1_s', '-')} s, "
              f"{theirs.get('first_failed', '-')} non-2xx answers (403 until it is master) or socket errors "
              f"({theirs.get('first_all_rps', '-')} answers/s in all)")
    print(f"relative goals use {ref_note}; req/s counts 2xx answers only; p99 is wrk's over all answers")
    for name, values in [("ours", ours)] + ([("Brooklyn", theirs)] if theirs else []):
        machine(name, values)


def machine(name, values):
    print(f"{name} run: {values.get('date', '?')}, {values.get('cores', '?')} cores, "
          f"{values.get('ram_gib', '?')} GiB RAM, CPU steal {values.get('steal_pct', '?')} %, "
          f"load average at the end {values.get('loadavg', '?')}"
          + (f", director JIT {values['jit']} (CONPAAS_JIT)" if 'jit' in values else "")
          + (f", director classes from the shipped archive at boot / restart: {values['boot_cds']} / "
             f"{values['restart_cds']} (CONPAAS_CDS)" if 'boot_cds' in values else ""))


if __name__ == "__main__":
    main()
