#!/usr/bin/env python3
"""CPU time and memory of process trees, by service, from /proc (children that exited are not counted).

  proc-cpu.py ticks ROOTPID...   prints "label ticks" per service under the given roots (utime + stime, clock ticks)
  proc-cpu.py pids ROOTPID...    prints "label pid" per process under the given roots
  proc-cpu.py mem ROLE=PID...    prints "role label processes rss_kb hwm_kb pss_kb" per role and service under the
                                 given roots, largest RSS first within a role: VmRSS and VmHWM (the process's peak RSS)
                                 of /proc/<pid>/status and Pss of /proc/<pid>/smaps_rollup, summed; a process under
                                 several roots counts once, for the first root's role. Pss is the figure to compare
                                 across collectors: ZGC maps its heap several times, and VmRSS counts each mapping
  proc-cpu.py hz                 prints the clock ticks per second
Labels: keycloak, directory (the stack launcher's JVM: LDAP directory, demo upstream), token-api, policy-worker,
revocation-stream, gateway (also the gateway benchmark's harness), broker (Kafka), redis, nginx, other.
"""
import os
import sys

LABELS = [("keycloak", "keycloak"), ("token-api.jar", "token-api"), ("policy-worker.jar", "policy-worker"),
          ("revocation-stream.jar", "revocation-stream"), ("gateway.jar", "gateway"), ("kafka.Kafka", "broker"),
          ("redis-server", "redis"), ("ops.jar", "directory"), ("GatewayBenchHarness", "gateway"),
          ("nginx: ", "nginx")]


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


def status_kb(pid, field, name="status"):
    try:
        with open("/proc/%d/%s" % (pid, name)) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(role_roots):
    role_of = {}
    for role, root in role_roots:
        for pid, _, label in under([root]):
            role_of.setdefault(pid, (role, label))
    totals = {}
    for pid, key in role_of.items():
        count, rss, hwm, pss = totals.get(key, (0, 0, 0, 0))
        totals[key] = (count + 1, rss + status_kb(pid, "VmRSS"), hwm + status_kb(pid, "VmHWM"),
                       pss + status_kb(pid, "Pss", "smaps_rollup"))
    order = [role for role, _ in role_roots]
    for (role, label), (count, rss, hwm, pss) in sorted(totals.items(),
                                                         key=lambda t: (order.index(t[0][0]), -t[1][1])):
        print(role, label, count, rss, hwm, pss)


def main():
    mode = sys.argv[1]
    if mode == "mem":
        memory([(a.split("=")[0], int(a.split("=")[1])) for a in sys.argv[2:]])
        return
    roots = [int(a) for a in sys.argv[2:]]
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
