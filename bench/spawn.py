"""Starts the benchmark's child processes from a process that stays small.

bench/run.py starts this first and sends it one JSON request a line; it
runs the command and answers one JSON line: the monotonic time at spawn,
the wall time to exit, the exit code, the child's peak RSS (ru_maxrss from
wait4) and whether a cap stopped it.

Why a process of its own: on Linux a child's ru_maxrss is at least the
high-water RSS of the process that started it (exec counts the old memory
map's peak; vfork shares it), so children started by bench/run.py, which
grows to a few hundred MiB while it searches and dumps worksheets, would all
report that much. This process imports only what starting a process needs
and stays at about 10 MiB, below every figure measured.
"""
import json
import os
import subprocess
import sys
import time


def _hwm_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(request: dict) -> dict:
    cap_s, cap_mib = request.get("cap_s"), request.get("cap_mib")
    stopped = ""
    with open(request["stdout"], "wb") as out, open(request["stderr"], "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(request["command"], cwd=request["cwd"], env=request["env"], stdout=out,
                                   stderr=err)
        if cap_s is None and cap_mib is None:
            _, status, usage = os.wait4(process.pid, 0)
        else:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if cap_mib is not None and _hwm_mib(process.pid) > cap_mib:
                    stopped = f"stopped above {cap_mib:.0f} MiB after {time.monotonic() - start:.0f} s"
                elif cap_s is not None and time.monotonic() - start > cap_s:
                    stopped = f"stopped after {cap_s:.0f} s"
                if stopped:
                    process.kill()
                    _, status, usage = os.wait4(process.pid, 0)
                    break
                time.sleep(0.05)
        wall = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"start": start, "wall": wall, "code": process.returncode, "maxrss_kb": usage.ru_maxrss,
            "stopped": stopped}


def main() -> int:
    for line in sys.stdin:
        sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
