#!/usr/bin/env python3
"""Benchmark kefu on synthetic workspaces of N cases, against the physical limit (reading
the case files' bytes) and against Taskwarrior holding the same complaints.

    python3 benches/run.py [--sizes 1000,10000,100000] [--runs 5] [--seed 1]

Builds the release binaries, generates each workspace under target/bench/ (reused while
its size, seed and generator sources are unchanged), times every command, and prints a
Markdown table that is also written to target/bench/latest.md. Python 3 standard library
only; Taskwarrior (`task`) is optional.

Each timing is the median of --runs warm runs after one untimed warm-up run, stdout to
/dev/null; the fastest run and the median CPU time (user + system, from the kernel) are
shown too, since on a shared machine wall time also measures the neighbours. Peak memory is the largest maximum resident set size of those runs, read from
the kernel for each child (os.wait4), so no GNU time is needed. A command that exits
non-zero is reported as failed and the run goes on.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
if not TARGET.is_absolute():
    TARGET = ROOT / TARGET
# The moment the generator sweeps the workspaces at (benches/generate.rs, NOW).
NOW = "2026-11-23T09:00:00+08:00"
# Sources whose change makes an existing generated workspace stale.
GENERATOR_SOURCES = ["benches/generate.rs", "benches/text.rs", "src/domain/case.rs", "src/domain/rules.rs", "config/kefu.toml"]
IMPORT_ROWS = 10_000
# Commits in the history of the committing workspace, for `kefu log` (SPEC §13.2).
HISTORY_COMMITS = 20_000
# What `kefu sync` receives from another clone in the sync benchmark (SPEC §14).
SYNC_NEW = 10_000
SYNC_CHANGED = 1_000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- running and timing


class Result:
    def __init__(self, label, n, ms=None, rss_mb=None, failed=None, runs=0, min_ms=None, cpu_ms=None):
        self.label, self.n, self.ms, self.rss_mb, self.failed, self.runs = label, n, ms, rss_mb, failed, runs
        self.min_ms, self.cpu_ms = min_ms, cpu_ms

    def as_dict(self):
        return {"command": self.label, "n": self.n, "median_ms": self.ms, "min_ms": self.min_ms,
                "cpu_ms": self.cpu_ms, "peak_mb": self.rss_mb, "failed": self.failed, "runs": self.runs}


def gnu_time():
    """GNU time's path, when installed: it reads a command's peak memory from the kernel."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True)
        return path if "GNU" in out.stdout + out.stderr else None
    except OSError:
        return None


GNU_TIME = None


def run_once(argv, env, peak=False):
    """Run argv once, stdout to /dev/null; (seconds, CPU seconds (user + system), peak RSS
    in MB or None, exit code, stderr).

    With `peak`, the command runs under GNU time, which reports its maximum resident set
    size. Without GNU time, os.wait4's rusage is used instead; Linux carries a process's
    peak over exec, so that figure cannot be below this Python's own (about 20 MB)."""
    wrapped = peak and GNU_TIME is not None
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(mode="r") as rss:
        cmd = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if wrapped else argv
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        mb = None
        if wrapped:
            # GNU time writes "Command exited with non-zero status N" before the figure.
            lines = rss.read().split()
            mb = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
        elif peak:
            mb = usage.ru_maxrss / 1024
    return elapsed, usage.ru_utime + usage.ru_stime, mb, code, stderr


def measure(label, n, argv, env, runs, setup=None):
    """Median of `runs` timed runs, after one untimed warm-up. `setup()` runs untimed
    before every run. The timed runs run the command directly; the warm-up and one
    last run run it under GNU time for its peak memory (the larger of the two is kept:
    a first run may do more, like rebuilding something kept beside the cases)."""
    times, cpus, peaks = [], [], []
    try:
        for i in range(runs + 2):
            if setup:
                setup()
            timed = 0 < i <= runs
            secs, cpu, mb, code, stderr = run_once(argv, env, peak=not timed)
            if code != 0:
                reason = (stderr.strip().splitlines() or [f"exit {code}"])[-1]
                log(f"  {label}: failed (exit {code}): {reason[:160]}")
                return Result(label, n, failed=f"exit {code}: {reason[:160]}")
            if timed:
                times.append(secs * 1000)
                cpus.append(cpu * 1000)
            elif mb is not None:
                peaks.append(mb)
    except OSError as e:
        log(f"  {label}: failed: {e}")
        return Result(label, n, failed=str(e))
    r = Result(label, n, statistics.median(times), max(peaks) if peaks else None, runs=len(times),
               min_ms=min(times), cpu_ms=statistics.median(cpus))
    log(f"  {label}: {r.ms:.1f} ms (median of {r.runs}), peak {fmt_mb(r)} MB")
    return r


def fmt_mb(r):
    return "–" if r.failed or r.rss_mb is None else f"{r.rss_mb:.1f}"


def drop_caches():
    """Empty the page cache; False when not permitted (not root, or a container)."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def measure_cold(label, n, argv, env):
    if not drop_caches():
        log(f"  {label}: n/a (dropping the page cache is not permitted here)")
        return Result(label, n, failed="n/a")
    secs, cpu, mb, code, _ = run_once(argv, env, peak=True)
    if code != 0:
        return Result(label, n, failed=f"exit {code}")
    r = Result(label, n, secs * 1000, mb, runs=1, min_ms=secs * 1000, cpu_ms=cpu * 1000)
    log(f"  {label}: {r.ms:.1f} ms (one run), peak {fmt_mb(r)} MB")
    return r


# ---------------------------------------------------------------- workspaces


def sh(argv, **kw):
    subprocess.run(argv, check=True, **kw)


def build():
    log("building release binaries…")
    sh(["cargo", "build", "--release", "--quiet", "--bin", "kefu", "--bin", "kefu-bench"], cwd=ROOT)
    release = TARGET / "release"
    return release / "kefu", release / "kefu-bench"


def stamp(n, seed):
    h = hashlib.sha256()
    for rel in GENERATOR_SOURCES:
        p = ROOT / rel
        h.update(p.read_bytes() if p.exists() else b"")
    return {"cases": n, "seed": seed, "sources": h.hexdigest()[:16]}


def ensure_workspace(bench, n, seed):
    ws = bench / f"ws-{n}-s{seed}"
    mark = ws / ".bench-stamp"
    want = stamp(n, seed)
    if mark.exists():
        try:
            if json.loads(mark.read_text()) == want:
                log(f"reusing {ws}")
                return ws, None
        except ValueError:
            pass
    if ws.exists():
        shutil.rmtree(ws)
    log(f"generating {n} cases in {ws}…")
    start = time.perf_counter()
    sh([str(BENCH), "generate", str(ws), "--cases", str(n), "--seed", str(seed)])
    took = time.perf_counter() - start
    mark.write_text(json.dumps(want))
    # kefu's cache never trusts a file changed in the last two seconds (whole seconds);
    # a workspace measured the moment it was written would time parsing, not kefu's
    # normal day.
    time.sleep(3.1)
    return ws, took


def clean_intakes(ws):
    """Remove the cases `kefu intake` made in earlier runs (the generator's end before NOW's day)."""
    day = NOW[:10].replace("-", "")
    for f in (ws / "cases").rglob(f"{day}-*.toml"):
        f.unlink()


def fresh_copy(src, dst):
    """A copy of workspace `src` at `dst`. Case files are hard links: kefu never changes
    a case file in place (it writes a new file and renames it over the old one), and an
    import only adds files, so the original stays untouched; everything else is copied."""
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    for entry in src.iterdir():
        if entry.name == "cases":
            sh(["cp", "-al", str(entry), str(dst / "cases")])
        elif entry.is_dir():
            shutil.copytree(entry, dst / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, dst / entry.name)


def kefu_env(bench, ws):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(bench / "home"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "KEFU_ROOT": str(ws),
        "KEFU_NOW": NOW,
        # The workspaces live inside kefu's own repository (target/): keep git from
        # finding it, should kefu ever ask git about them.
        "GIT_CEILING_DIRECTORIES": str(bench),
    }


def bench_import_memory(bench, rows_list, seed):
    """Peak memory of importing N rows into an empty workspace, once per N: a streaming
    import keeps it flat as N grows (SPEC 9.13: 200,000 rows under 100 MB)."""
    results = []
    # Every size without git, and the largest once more as a shop runs it: in its own
    # repository, committing (the default), which GNU time counts with git's processes.
    runs = [(rows, False) for rows in rows_list] + [(max(rows_list), True)]
    for rows, committing in runs:
        csv_path = bench / f"import-{rows}-s{seed}.csv"
        if not csv_path.exists():
            sh([str(BENCH), "csv", str(rows), str(csv_path), "--seed", str(seed)])
        ws = bench / f"import-memory-{rows}"
        shutil.rmtree(ws, ignore_errors=True)
        env = dict(kefu_env(bench, ws), **GIT_ENV)
        sh([str(KEFU), "init", str(ws), *([] if committing else ["--no-git"])], env=env, stdout=subprocess.DEVNULL)
        label = f"kefu import memory ({rows} rows, empty workspace{', commit' if committing else ''})"
        argv = [str(KEFU), *([] if committing else ["--no-commit"]), "import", str(csv_path)]
        secs, _, mb, code, stderr = run_once(argv, env, peak=True)
        shutil.rmtree(ws, ignore_errors=True)
        if code != 0:
            reason = (stderr.strip().splitlines() or [f"exit {code}"])[-1]
            log(f"  {label}: failed (exit {code}): {reason[:160]}")
            results.append(Result(label, rows, failed=f"exit {code}: {reason[:160]}"))
            continue
        r = Result(label, rows, secs * 1000, mb, runs=1)
        log(f"  {label}: {secs:.1f} s, peak {fmt_mb(r)} MB")
        results.append(r)
    return results


# ---------------------------------------------------------------- committing on


GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


def git(ws, *args, **kw):
    env = dict(os.environ, **GIT_ENV, GIT_CEILING_DIRECTORIES=str(ws.parent))
    return subprocess.run(["git", *args], cwd=ws, env=env, check=True, capture_output=True, **kw).stdout


def objects_bytes(ws):
    """Bytes of git's object store (loose objects and packs)."""
    total = 0
    for root, _, files in os.walk(ws / ".git" / "objects"):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def ensure_git_workspace(bench, ws, n, seed):
    """The workspace in its own git repository as `kefu init` makes one (a split index),
    its cases in one commit, then HISTORY_COMMITS more commits that each change one case
    file and change it back in the next (so the tree ends as it began): a shop's trail
    after some months, for `kefu log`."""
    gws = bench / f"git-{n}-s{seed}"
    mark = gws / ".bench-stamp"
    want = dict(stamp(n, seed), history=HISTORY_COMMITS)
    if mark.exists() and json.loads(mark.read_text() or "null") == want:
        log(f"reusing {gws}")
        return gws
    if gws.exists():
        shutil.rmtree(gws)
    log(f"making a git workspace of {n} cases with {HISTORY_COMMITS} commits of history…")
    shutil.copytree(ws, gws, symlinks=True, ignore=shutil.ignore_patterns(".kefu", ".bench-stamp"))
    git(gws, "init", "-q")
    git(gws, "config", "core.splitIndex", "true")
    # No background gc started by the big first commit: it would make the `git gc`
    # below fail ("already running") and time something else than kefu later.
    git(gws, "config", "gc.auto", "0")
    (gws / ".gitignore").write_text(".kefu/\n.bench-stamp\n")
    git(gws, "add", "-A")
    git(gws, "commit", "-q", "-m", "the shop's cases")
    branch = git(gws, "symbolic-ref", "HEAD", text=True).strip()
    files = sorted(str(p.relative_to(gws)) for p in (gws / "cases").rglob("*.toml"))
    rng = __import__("random").Random(seed)
    stream, when = [], int(git(gws, "log", "-1", "--format=%ct", text=True).strip())
    for k in range(HISTORY_COMMITS // 2):
        f = rng.choice(files)
        original = (gws / f).read_bytes()
        for content in (original + b"# bench %d\n" % k, original):
            when += 60
            msg = b"history %d\n" % k
            stream.append(b"commit %s\ncommitter bench <bench@example.org> %d +0800\ndata %d\n%s"
                          % (branch.encode(), when, len(msg), msg))
            if k == 0 and content is not original:
                stream.append(b"from %s^0\n" % branch.encode())
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (f.encode(), len(content), content))
    stream.append(b"done\n")
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=gws, input=b"".join(stream), check=True)
    git(gws, "gc", "-q")
    mark.write_text(json.dumps(want))
    time.sleep(3.1)
    return gws


def bench_git(bench, ws, n, args):
    """kefu with committing on (the default), next to git's own `git add F && git commit`
    on the same repository."""
    gws = ensure_git_workspace(bench, ws, n, args.seed)
    env = kefu_env(bench, gws)
    env.update(GIT_ENV)
    runs = args.runs
    results = []
    kefu = lambda *a: [str(KEFU), *a]
    subprocess.run(kefu("list", "--open"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    before, commits_before = objects_bytes(gws), int(git(gws, "rev-list", "--count", "HEAD", text=True))
    intake = kefu("intake", "--name", "王先生", "--contact", "13800000000", "--channel", "phone",
                  "--summary", "燒餅烙糊了,整盒都有焦味", "--category", "quality", "--level", "general",
                  "--department", "service")
    results.append(measure("kefu intake (commit)", n, intake, env, runs))
    made = int(git(gws, "rev-list", "--count", "HEAD", text=True)) - commits_before
    growth = (objects_bytes(gws) - before) / max(made, 1) / 1024
    results.append(Result(f".git growth per single-case commit (KB, over {made} intakes)", n,
                          ms=growth, runs=made))
    log(f"  .git growth per single-case commit: {growth:.1f} KB")

    listed = subprocess.run(kefu("list", "--status", "acknowledged", "--json"), env=env,
                            capture_output=True, text=True).stdout
    open_cases = json.loads(listed or "[]")
    if open_cases:
        case = open_cases[len(open_cases) // 2]
        reply = kefu("reply", case["id"], "--from", case.get("department") or "service", "--text", "已聯繫客戶")
        results.append(measure("kefu reply (commit)", n, reply, env, runs))

    target = next((gws / "cases").rglob("*.toml"))
    rel = str(target.relative_to(gws))
    counter = [0]

    def touch():
        counter[0] += 1
        with open(target, "a", encoding="utf-8") as f:
            f.write(f"# bench {counter[0]}\n")

    results.append(measure("git add F && git commit (same repository)", n,
                           ["sh", "-c", f"cd '{gws}' && git add {rel} && git commit -q -m bench"], dict(env), runs, setup=touch))
    git(gws, "checkout", "-q", "HEAD~" + str(runs + 2), "--", rel)
    if git(gws, "status", "--porcelain", "--", rel, text=True).strip():
        git(gws, "commit", "-q", "-m", "bench: undo", "--", rel)

    touched = git(gws, "log", "-1", "--format=", "--name-only", "--grep", "^history 0$", text=True).strip()
    case_id = pathlib.Path(touched).stem if touched else None
    if case_id:
        results.append(measure(f"kefu log ID ({HISTORY_COMMITS} commits)", n, kefu("log", case_id), env, runs))
        results.append(measure(f"git log -- F ({HISTORY_COMMITS} commits)", n,
                               ["git", "-C", str(gws), "log", "--oneline", "--", touched], env, runs))

    if n in args.import_at:
        csv_path = bench / f"import-{IMPORT_ROWS}-s{args.seed}.csv"
        if not csv_path.exists():
            sh([str(BENCH), "csv", str(IMPORT_ROWS), str(csv_path), "--seed", str(args.seed)])
        copies = []
        copy_env = dict(env)

        def setup():
            # As for the import without commits: a fresh copy of the repository each
            # run (case files hard-linked, .git copied), removed only after the last
            # run. Undoing the previous run with `git reset --hard` instead deletes
            # its 10,000 files just before the next, and ext4's inode allocator then
            # passes over the freed inodes: that timed the file system, not the import.
            copy = bench / f"git-import-copy-{len(copies)}"
            copies.append(copy)
            fresh_copy(gws, copy)
            copy_env.update(KEFU_ROOT=str(copy))
            time.sleep(3.1)
            subprocess.run(kefu("list", "--open"), env=copy_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            os.sync()

        results.append(measure(f"kefu import ({IMPORT_ROWS} rows, commit)", n, kefu("import", str(csv_path)),
                               copy_env, runs, setup=setup))
        for copy in copies:
            shutil.rmtree(copy)
    return results


def bench_week_without_sweeps(bench, ws, n, args):
    """`friday` a week after the last sweep (every escalation and penalty of the week to
    record), against `friday --no-sweep` at the same moment, on fresh copies."""
    later = (dt.datetime.fromisoformat(NOW) + dt.timedelta(days=7)).isoformat()
    copy = bench / "week-copy"
    env = dict(kefu_env(bench, copy), KEFU_NOW=later)

    def setup():
        fresh_copy(ws, copy)
        time.sleep(3.1)
        subprocess.run([str(KEFU), "list", "--open"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.sync()

    setup()
    results = [measure("kefu friday --no-sweep --json (a week after the last sweep)", n,
                       [str(KEFU), "friday", "--no-sweep", "--json"], env, args.runs)]
    results.append(measure("kefu friday --json (a week after the last sweep)", n,
                           [str(KEFU), "--no-commit", "friday", "--json"], env, args.runs, setup=setup))
    shutil.rmtree(copy, ignore_errors=True)
    return results


def bench_cache_rebuild(bench, ws, n, args):
    """`list --open` with no cache, as after a fresh clone."""
    env = kefu_env(bench, ws)

    def setup():
        shutil.rmtree(ws / ".kefu" / "cache", ignore_errors=True)

    r = measure("kefu list --open (cache rebuilt, as after a clone)", n, [str(KEFU), "list", "--open"], env,
                args.runs, setup=setup)
    subprocess.run([str(KEFU), "list", "--open"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [r]


# ---------------------------------------------------------------- Taskwarrior, the peer


def task_env(bench, data):
    rc = data / "taskrc"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(bench / "home"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TASKRC": str(rc),
        "TASKDATA": str(data),
    }


TASKRC = """# A private Taskwarrior for kefu's benchmark.
data.location={data}
confirmation=off
verbose=nothing
hooks=off
uda.department.type=string
uda.department.label=Department
uda.level.type=string
uda.level.label=Level
uda.kefuid.type=string
uda.kefuid.label=Case
"""


def ensure_taskdata(bench, ws, n, seed):
    data = bench / f"task-{n}-s{seed}"
    mark = data / ".bench-stamp"
    want = stamp(n, seed)
    if mark.exists() and json.loads(mark.read_text() or "null") == want:
        log(f"reusing {data}")
        return data
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    (data / "taskrc").write_text(TASKRC.format(data=data))
    tasks = bench / f"tasks-{n}-s{seed}.json"
    sh([str(BENCH), "tasks", str(ws), str(tasks)])
    log(f"importing {n} tasks into Taskwarrior ({data})…")
    start = time.perf_counter()
    sh(["task", "import", str(tasks)], env=task_env(bench, data), stdout=subprocess.DEVNULL)
    log(f"  done in {time.perf_counter() - start:.1f} s")
    mark.write_text(json.dumps(want))
    return data


def csv_to_tasks(csv_path, json_path):
    """The import CSV's rows as Taskwarrior tasks (no category or department yet)."""
    import csv

    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    tasks = []
    for i, row in enumerate(rows):
        entry = dt.datetime.fromisoformat(row["received_at"]).astimezone(dt.timezone.utc)
        digest = hashlib.md5(row["source_ref"].encode()).hexdigest()
        uuid = f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"
        tasks.append({"uuid": uuid, "description": row["summary"], "status": "pending",
                      "entry": entry.strftime("%Y%m%dT%H%M%SZ")})
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(tasks, f, ensure_ascii=False)


# ---------------------------------------------------------------- one size


def bench_size(bench, n, args, has_task):
    log(f"\n== N = {n}")
    ws, generated = ensure_workspace(bench, n, args.seed)
    clean_intakes(ws)
    env = kefu_env(bench, ws)
    ids = sorted(p.stem for p in (ws / "cases").rglob("*.toml"))
    show_id = ids[len(ids) // 2] if ids else "00000000-000"
    runs = args.runs
    results = []

    def kefu(*a):
        return [str(KEFU), *a]

    results.append(measure("baseline: read all case files", n, [str(BENCH), "read", str(ws)], env, runs))
    for label, argv in [
        ("kefu list --open", kefu("list", "--open")),
        ("kefu list --json", kefu("list", "--json")),
        ("kefu friday --no-sweep --json", kefu("friday", "--no-sweep", "--json")),
        ("kefu due", kefu("due")),
        (f"kefu show ID", kefu("show", show_id)),
        ("kefu check", kefu("check")),
    ]:
        results.append(measure(label, n, argv, env, runs))

    # Each intake makes a new case (a new id each run); they are removed afterwards so
    # the workspace keeps its N cases.
    intake = kefu("--no-commit", "intake", "--name", "王先生", "--contact", "13800000000", "--channel", "phone",
                  "--summary", "燒餅烙糊了,整盒都有焦味", "--product", "燒餅禮盒", "--request", "refund",
                  "--category", "quality", "--level", "general", "--department", "service")
    results.append(measure("kefu intake", n, intake, env, runs))
    clean_intakes(ws)

    # Cold runs before the import's copies: making and removing hard links to the case
    # files changes their ctime, which the cache rightly treats as a change.
    results.append(measure_cold("baseline: read all case files (cold)", n, [str(BENCH), "read", str(ws)], env))
    results.append(measure_cold("kefu list --open (cold)", n, kefu("list", "--open"), env))

    if n in args.import_at:
        csv_path = bench / f"import-{IMPORT_ROWS}-s{args.seed}.csv"
        if not csv_path.exists():
            sh([str(BENCH), "csv", str(IMPORT_ROWS), str(csv_path), "--seed", str(args.seed)])
        copies = []
        copy_env = {}

        def setup():
            # A fresh copy each run, used once (like the clerk's daily work) before the
            # import, so whatever kefu keeps beside the cases is as it would be. Copies
            # are removed only after the last run: on ext4 without a journal the inode
            # allocator passes over inodes freed in the last minutes, so deleting the
            # previous run's 10,000 new files just before each run would time that, not
            # an import into a workspace as a shop has it.
            copy = bench / f"import-copy-{len(copies)}"
            copies.append(copy)
            fresh_copy(ws, copy)
            copy_env.clear()
            copy_env.update(env, KEFU_ROOT=str(copy))
            # Hard-linking changes every file's ctime, and kefu's cache never trusts a
            # file changed in the last two seconds, counted in whole seconds: let the
            # copy age as a real workspace has, else the import measures parsing cases.
            time.sleep(3.1)
            subprocess.run([str(KEFU), "list", "--open"], env=copy_env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            # Else the import's flush would also write out the copy just made.
            os.sync()

        results.append(measure(f"kefu import ({IMPORT_ROWS} rows)", n,
                               kefu("--no-commit", "import", str(csv_path)), copy_env, runs, setup=setup))
        for copy in copies:
            shutil.rmtree(copy)

    results += bench_cache_rebuild(bench, ws, n, args)
    if n in args.git_at:
        results += bench_week_without_sweeps(bench, ws, n, args)
        results += bench_git(bench, ws, n, args)
    if n in args.sync_at:
        results += bench_sync(bench, n, ws, args)

    if has_task:
        data = ensure_taskdata(bench, ws, n, args.seed)
        tenv = task_env(bench, data)
        results.append(measure("task summary", n, ["task", "summary"], tenv, runs))
        results.append(measure("task count", n, ["task", "count"], tenv, runs))
        if n in args.import_at:
            rows_json = bench / f"import-{IMPORT_ROWS}-s{args.seed}.tasks.json"
            csv_to_tasks(bench / f"import-{IMPORT_ROWS}-s{args.seed}.csv", rows_json)
            tcopy = bench / "task-import-copy"
            tcopy_env = task_env(bench, tcopy)

            def tsetup():
                if tcopy.exists():
                    shutil.rmtree(tcopy)
                shutil.copytree(data, tcopy)
                (tcopy / "taskrc").write_text(TASKRC.format(data=tcopy))

            results.append(measure(f"task import ({IMPORT_ROWS} rows)", n, ["task", "import", str(rows_json)],
                                   tcopy_env, runs, setup=tsetup))
            if tcopy.exists():
                shutil.rmtree(tcopy)
    else:
        results.append(Result("task summary", n, failed="not installed"))
    return results, generated


def git_env(env):
    """kefu's environment with a git identity (the bench HOME has no git config)."""
    return dict(env, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
                GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com", GIT_CONFIG_NOSYSTEM="1")


def ensure_sync_clones(bench, ws, n, seed):
    """A bare remote and two clones of workspace `ws` in git: clone b has pushed
    SYNC_NEW new cases (one import) and SYNC_CHANGED changed ones (a note each, one
    commit); clone a has one case of its own not yet pushed, so that its sync is a real
    merge. Made once per size and seed; returns (remote, a)."""
    base = bench / f"sync-{n}-s{seed}"
    mark = base / ".bench-stamp"
    want = dict(stamp(n, seed), new=SYNC_NEW, changed=SYNC_CHANGED)
    a, b, remote = base / "a", base / "b", base / "remote.git"
    if mark.exists() and json.loads(mark.read_text()) == want:
        log(f"reusing {base}")
        return remote, a
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    log(f"making a remote and two clones of {n} cases in {base}…")
    new = min(SYNC_NEW, n)
    changed = min(SYNC_CHANGED, max(1, n // 10))
    fresh_copy(ws, a)
    env_a = git_env(dict(kefu_env(bench, a)))
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sh(["git", "-C", str(a), "init", "-q"], env=env_a)
    # No gc in the background: one started by the big first commit would still be
    # packing objects while a run copies the clone.
    sh(["git", "-C", str(a), "config", "gc.auto", "0"], env=env_a)
    sh(["git", "-C", str(a), "add", "-A"], env=env_a)
    sh(["git", "-C", str(a), "commit", "-q", "-m", "the workspace"], env=env_a)
    sh([str(KEFU), "station", "a"], env=env_a, **quiet)
    sh(["git", "clone", "-q", "--bare", str(a), str(remote)], env=env_a)
    sh(["git", "-C", str(a), "remote", "add", "origin", str(remote)], env=env_a)
    sh(["git", "-C", str(a), "fetch", "-q", "origin"], env=env_a)
    branch = subprocess.run(["git", "-C", str(a), "branch", "--show-current"], capture_output=True,
                            text=True, env=env_a).stdout.strip()
    sh(["git", "-C", str(a), "branch", "-q", "--set-upstream-to", f"origin/{branch}"], env=env_a)
    sh(["git", "-C", str(remote), "config", "gc.auto", "0"], env=env_a)
    sh(["git", "clone", "-q", str(remote), str(b)], env=env_a)
    sh(["git", "-C", str(b), "config", "gc.auto", "0"], env=env_a)
    env_b = git_env(dict(kefu_env(bench, b)))
    sh([str(KEFU), "station", "b"], env=env_b, **quiet)
    csv_path = bench / f"import-{new}-s{seed}.csv"
    if not csv_path.exists():
        sh([str(BENCH), "csv", str(new), str(csv_path), "--seed", str(seed)])
    sh([str(KEFU), "import", str(csv_path)], env=env_b, **quiet)
    ids = sorted(p.stem for p in (ws / "cases").rglob("*.toml"))
    for i in range(changed):
        case = ids[i * len(ids) // changed]
        sh([str(KEFU), "--no-commit", "note", case, "--text", "客戶又來電詢問進度"], env=env_b, **quiet)
    sh(["git", "-C", str(b), "add", "cases"], env=env_b)
    sh(["git", "-C", str(b), "commit", "-q", "-m", f"notes on {changed} cases"], env=env_b)
    sh(["git", "-C", str(b), "push", "-q", "origin", branch], env=env_b)
    sh([str(KEFU), "intake", "--name", "王先生", "--channel", "phone", "--summary", "燒餅烙糊了"], env=env_a, **quiet)
    mark.write_text(json.dumps(want))
    return remote, a


def bench_sync(bench, n, ws, args):
    """`kefu sync` receiving SYNC_NEW new and SYNC_CHANGED changed cases from another
    clone, next to `git pull` of the same commits, each on a fresh copy of clone a."""
    remote, a = ensure_sync_clones(bench, ws, n, args.seed)
    results = []
    copy = bench / f"sync-run-{n}"
    env = git_env(kefu_env(bench, copy))

    def setup():
        shutil.rmtree(copy, ignore_errors=True)
        if copy.exists():
            # A git gc that the last run's merge left running in the background.
            time.sleep(2)
            shutil.rmtree(copy)
        sh(["cp", "-a", str(a), str(copy)])
        # No gc in the background of the timed merge: it would outlive the run.
        sh(["git", "-C", str(copy), "config", "gc.auto", "0"])
        time.sleep(3.1)
        subprocess.run([str(KEFU), "list", "--open"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.sync()

    new, changed = min(SYNC_NEW, n), min(SYNC_CHANGED, max(1, n // 10))
    what = f"{new} new + {changed} changed cases"
    results.append(measure(f"kefu sync ({what})", n, [str(KEFU), "sync"], env, args.runs, setup=setup))
    results.append(measure(f"git pull ({what})", n, ["git", "-C", str(copy), "pull", "-q", "--no-rebase",
                                                      "--no-edit"], env, args.runs, setup=setup))
    shutil.rmtree(copy, ignore_errors=True)
    return results


# ---------------------------------------------------------------- the table


def fmt_ms(r, ms=None):
    if r.failed:
        return "n/a" if r.failed in ("n/a", "not installed") else "failed"
    ms = r.ms if ms is None else ms
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}"


def fmt_opt_ms(r, ms):
    return "–" if r.failed or ms is None else fmt_ms(r, ms)


def ratio(r, base):
    if r.failed or base is None or base.failed or not base.ms:
        return "–"
    x = r.ms / base.ms
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def table(results):
    lines = ["| command | N | median ms | min ms | CPU ms | peak MB | × read baseline | × task summary |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sorted({r.n for r in results}):
        rows = [r for r in results if r.n == n]
        base = next((r for r in rows if r.label == "baseline: read all case files"), None)
        cold = next((r for r in rows if r.label == "baseline: read all case files (cold)"), None)
        peer = next((r for r in rows if r.label == "task summary"), None)
        for r in rows:
            b = cold if r.label.endswith("(cold)") else base
            lines.append(f"| {r.label} | {n} | {fmt_ms(r)} | {fmt_opt_ms(r, r.min_ms)} | "
                         f"{fmt_opt_ms(r, r.cpu_ms)} | {fmt_mb(r)} | {ratio(r, b)} | {ratio(r, peer)} |")
    failed = {}
    for r in results:
        if r.failed and r.failed not in ("n/a", "not installed"):
            failed.setdefault((r.label, r.failed), []).append(str(r.n))
    if failed:
        lines.append("")
        lines += [f"- {label} failed at N = {', '.join(ns)}: {why}" for (label, why), ns in failed.items()]
    return "\n".join(lines)


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": ram, "os": platform.platform()}


def git_rev():
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def main():
    global KEFU, BENCH, GNU_TIME
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="workspace sizes, comma-separated")
    p.add_argument("--runs", type=int, default=5, help="timed warm runs per command (median)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--import-at", default="100000",
                   help=f"sizes at which to time importing {IMPORT_ROWS} rows (comma-separated)")
    p.add_argument("--import-memory", default="10000,100000,200000",
                   help="row counts at which to measure an import's peak memory (comma-separated; empty: none)")
    p.add_argument("--git-at", default="1000,10000,100000",
                   help="sizes at which to time committing, git's own commit, kefu log and the week without sweeps")
    p.add_argument("--sync-at", default="100000",
                   help=f"sizes at which to time kefu sync receiving {SYNC_NEW} new and {SYNC_CHANGED} changed cases "
                        "next to git pull (comma-separated; empty: none)")
    p.add_argument("--no-build", action="store_true", help="use the binaries already in target/release")
    p.add_argument("--no-peer", action="store_true", help="skip Taskwarrior even when installed")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.import_at = {int(s) for s in args.import_at.split(",") if s.strip()}
    args.git_at = {int(s) for s in args.git_at.split(",") if s.strip()}
    args.sync_at = {int(s) for s in args.sync_at.split(",") if s.strip()}
    if args.runs < 1 or any(n < 1 for n in sizes):
        p.error("--runs and every size must be at least 1")

    if args.no_build:
        KEFU, BENCH = TARGET / "release" / "kefu", TARGET / "release" / "kefu-bench"
    else:
        KEFU, BENCH = build()
    bench = TARGET / "bench"
    (bench / "home").mkdir(parents=True, exist_ok=True)
    has_task = not args.no_peer and shutil.which("task") is not None
    if not has_task and not args.no_peer:
        log("Taskwarrior (`task`) is not installed: the peer columns will say n/a")

    GNU_TIME = gnu_time()
    if GNU_TIME is None:
        log("GNU time is not installed: peak memory comes from os.wait4 and includes this script's own")
    started = dt.datetime.now().astimezone()
    load_before = os.getloadavg()
    results, generated = [], {}
    for n in sizes:
        rows, took = bench_size(bench, n, args, has_task)
        results += rows
        if took is not None:
            generated[n] = took
    memory_rows = [int(s) for s in args.import_memory.split(",") if s.strip()]
    if memory_rows:
        log("\n== import memory")
        results += bench_import_memory(bench, memory_rows, args.seed)
    load_after = os.getloadavg()

    m = machine()
    gen = ", ".join(f"{n}: {s:.1f} s" for n, s in generated.items()) or "reused"
    report = "\n".join([
        f"kefu benchmark, {started:%Y-%m-%d %H:%M %Z}, kefu {git_rev()}",
        f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram']} RAM, {m['os']}",
        f"median of {args.runs} warm runs after one warm-up; load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f}; workspace generation: {gen}; peak memory by "
        f"{'GNU time' if GNU_TIME else 'os.wait4 (at least this script own ~20 MB)'}",
        "",
        table(results),
        "",
    ])
    print(report)
    (bench / "latest.md").write_text(report, encoding="utf-8")
    (bench / "latest.json").write_text(json.dumps({
        "date": started.isoformat(), "machine": m, "runs": args.runs, "seed": args.seed,
        "load": [load_before[0], load_after[0]], "results": [r.as_dict() for r in results],
    }, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"written to {bench / 'latest.md'}")


if __name__ == "__main__":
    main()
