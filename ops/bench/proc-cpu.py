#!/usr/bin/env python3
"""CPU time of process trees, by service, from /proc (utime + stime; children that exited are not counted).

  proc-cpu.py ticks ROOTPID...   prints "label ticks" per service under the given roots (clock ticks)
  proc-cpu.py pids ROOTPID...    prints "label pid" per process under the given roots
  proc-cpu.py hz                 prints the clock ticks per second
Labels: keycloak, directory (the stack launcher's JVM: LDAP directory, demo upstream), token-api, policy-worker,
revocation-stream, gateway, broker (Kafka), redis, other.
"""
import os
import sys

LABELS = [("keycloak", "keycloak"), ("token-api.jar", "token-api"), ("policy-worker.jar", "policy-worker"),
          ("revocation-stream.jar", "revocation-stream"), ("gateway.jar", "gateway"), ("kafka.Kafka", "broker"),
          ("redis-server", "redis"), ("ops.jar", "directory")]


def processes():
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % name, "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        yield int(name), int(fields[1]), int(fields[11]) + int(fields[12]), cmdline


def under(roots):
    procs = list(processes())
    children = {}
    for pid, ppid, _, _ in procs:
        children.setdefault(ppid, []).append(pid)
    keep, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in keep:
            keep.add(pid)
            todo.extend(children.get(pid, []))
    for pid, _, ticks, cmdline in procs:
        if pid in keep:
            yield pid, ticks, next((label for needle, label in LABELS if needle in cmdline), "other")


def main():
    mode, roots = sys.argv[1], [int(a) for a in sys.argv[2:]]
    if mode == "hz":
        print(os.sysconf("SC_CLK_TCK"))
    elif mode == "pids":
        for pid, _, label in under(roots):
            print(label, pid)
    else:
        totals = {}
        for _, ticks, label in under(roots):
            totals[label] = totals.get(label, 0) + ticks
        for label, ticks in sorted(totals.items()):
            print(label, ticks)


main()
