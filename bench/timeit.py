#!/usr/bin/env python3
"""Runs a command once, as /usr/bin/time does, and prints "<wall seconds> <peak RSS KiB> <exit code> <CPU seconds>".

Wall time is taken by the parent around fork/exec/wait to the microsecond (GNU time's %e has 10 ms steps, too coarse
for runs of 40 ms); the peak RSS is the child's ru_maxrss and the CPU time its user plus system time, both from wait4. Output of the command goes to the files given.
Usage: timeit.py RESULT_FILE LOG_FILE -- COMMAND...
"""
import os
import subprocess
import sys
import time

result, log = sys.argv[1], sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1:]
with open(log, "wb") as out:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
with open(result, "w") as f:
    f.write(f"{wall:.4f} {usage.ru_maxrss} {code} {usage.ru_utime + usage.ru_stime:.3f}\n")
sys.exit(code)
