"""squall's pytest plugin, loaded with ``-p squall_pytest`` (its folder on PYTHONPATH).

Two modes, chosen by environment variables that are removed before any test runs:

- ``SQUALL_PYTEST_LIST=<file>`` (with ``--collect-only``): writes the collected node ids and
  the modules whose collection was skipped or failed as JSON, so the runner lists those too.
- ``SQUALL_PYTEST_CHANNEL_FD=<fd>``: a warm session. With ``SQUALL_PYTEST_LIST`` too, a session
  started ahead of the run also lists the suite: once collected, just before ``ready``, it
  writes what ``--collect-only`` would, so the runner needs no collection of its own. pytest collects once, says ``ready`` on
  the channel (newline-delimited JSON), then runs the node ids of each ``run`` request with
  pytest's own runtest protocol (fixtures, hooks, reports), streams one ``case`` per test and
  ends each job with ``done``, until ``exit`` or the channel closes.
"""

import json
import os
import sys
import time

import pytest

_LOADED_AT = time.monotonic()
_HERE = os.path.dirname(os.path.abspath(__file__))


def _take_env(name):
    """Reads and removes one of our variables, so tests and their children never see it."""
    return os.environ.pop(name, None)


def _drop_own_pythonpath():
    """Takes our folder back out of PYTHONPATH (it was put first for ``-p`` to find us)."""
    parts = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if parts and parts[0] == _HERE:
        rest = parts[1:]
        if rest and rest != [""]:
            os.environ["PYTHONPATH"] = os.pathsep.join(rest)
        else:
            os.environ.pop("PYTHONPATH", None)


_LIST_FILE = _take_env("SQUALL_PYTEST_LIST")
_CHANNEL_FD = _take_env("SQUALL_PYTEST_CHANNEL_FD")
_USER_ARGS = _take_env("SQUALL_PYTEST_ARGS")
_drop_own_pythonpath()


def _junit_address(nodeid):
    """(classname, name) as pytest's JUnit report writes them (``mangle_test_address``)."""
    path, bracket, params = nodeid.partition("[")
    names = path.split("::")
    names[0] = names[0].replace("/", ".")
    if names[0].endswith(".py"):
        names[0] = names[0][:-3]
    names[-1] += bracket + params
    return ".".join(names[:-1]), names[-1]


def _file_of(nodeid):
    return nodeid.split("::", 1)[0]


def _problem(report):
    """A module whose collection did not pass, as the listing and the session describe it."""
    return {"id": report.nodeid, "outcome": "skipped" if report.skipped else "error"}


# ---------------------------------------------------------------- listing


class _Lister:
    def __init__(self, path):
        self.path = path
        self.problems = []

    def pytest_collectreport(self, report):
        if not report.passed and report.nodeid:
            self.problems.append(_problem(report))

    def pytest_collection_finish(self, session):
        _write_listing(self.path, session.items, self.problems)


def _write_listing(path, items, problems):
    """Writes the listing whole (a temporary file renamed), so a reader never sees half of it."""
    data = {"tests": [item.nodeid for item in items], "problems": problems}
    partial = "%s.%d.tmp" % (path, os.getpid())
    with open(partial, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(partial, path)


# ---------------------------------------------------------------- session


class _Channel:
    """Newline-delimited JSON over an inherited fd (a socket or a pipe), unbuffered."""

    def __init__(self, fd):
        # A private, close-on-exec copy: processes the tests start never hold the channel open.
        self.fd = os.dup(fd)
        os.close(fd)
        self.buffer = b""

    def send(self, message):
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.fd, data) :]

    def receive(self):
        """The next message, or None when the channel closed."""
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        if not line.strip():
            return self.receive()
        return json.loads(line)


def _reason_of_skip(longrepr):
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[9:] if reason.startswith("Skipped: ") else reason
    return str(longrepr or "")


def _failure_line(report, file):
    """The last traceback entry in the test's own file: where it failed, as the test sees it."""
    entries = getattr(getattr(report.longrepr, "reprtraceback", None), "reprentries", None) or []
    line = None
    for entry in entries:
        loc = getattr(entry, "reprfileloc", None)
        path = str(getattr(loc, "path", "")).replace(os.sep, "/")
        if loc is not None and (path == file or path.endswith("/" + file)):
            line = loc.lineno
    return line


def _crash_message(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    text = str(report.longrepr or "").strip()
    return text.splitlines()[-1] if text else None


class _Case:
    """Folds one test's setup, call and teardown reports into one squall case."""

    def __init__(self, nodeid, location):
        self.nodeid = nodeid
        self.location = location
        self.reports = []

    def result(self):
        suite, name = _junit_address(self.nodeid)
        file = (self.location[0] if self.location else _file_of(self.nodeid)).replace(os.sep, "/")
        case = {
            "id": self.nodeid,
            "name": name,
            "file": file,
            "status": "passed",
            "durationMs": round(sum(r.duration for r in self.reports) * 1000),
        }
        if suite:
            case["suite"] = suite
        if self.location and self.location[1] is not None:
            case["line"] = self.location[1] + 1
        texts = []
        decisive = None
        for report in self.reports:
            if report.failed:
                status = "failed" if report.when == "call" else "error"
                if decisive is None or decisive[0] != "failed":
                    decisive = (status, report)
                texts.append(report.longreprtext)
            elif report.skipped and decisive is None:
                decisive = ("skipped", report)
            elif report.passed and report.when == "call" and hasattr(report, "wasxfail"):
                case["kind"] = "xpass"
                if report.wasxfail:
                    case["message"] = "xpass: " + report.wasxfail
        if decisive is not None:
            status, report = decisive
            case["status"] = status
            if status == "skipped" and hasattr(report, "wasxfail"):
                case["kind"] = "xfail"
                reason = report.wasxfail[8:] if report.wasxfail.startswith("reason: ") else report.wasxfail
                case["message"] = "xfail" + (": " + reason if reason else "")
            elif status == "skipped":
                case["message"] = _reason_of_skip(report.longrepr)
            else:
                message = _crash_message(report)
                if status == "error":
                    message = 'failed on %s with "%s"' % (report.when, message)
                if message:
                    case["message"] = message
                line = _failure_line(report, file)
                if line is not None:
                    case["line"] = line
        for report in self.reports:
            for title, content in report.sections:
                if content.strip() and report.when in title.split()[-1:]:
                    texts.append("%s\n%s" % (title, content.rstrip()))
        output = "\n".join(t for t in texts if t and t.strip())
        if output:
            case["output"] = output
        return case


def _collect_case(report):
    """A module that was skipped or failed at collection, as a case of its own."""
    suite, name = _junit_address(report.nodeid)
    case = {"id": report.nodeid, "name": name, "file": _file_of(report.nodeid), "durationMs": 0}
    if suite:
        case["suite"] = suite
    if report.skipped:
        case["status"] = "skipped"
        case["message"] = _reason_of_skip(report.longrepr)
        if isinstance(report.longrepr, tuple) and isinstance(report.longrepr[1], int):
            case["line"] = report.longrepr[1]
    else:
        case["status"] = "error"
        case["message"] = "collection failure"
        case["output"] = report.longreprtext
    return case


class _Session:
    def __init__(self, fd, user_args, list_file=None):
        self.channel = _Channel(fd)
        self.user_args = user_args
        self.list_file = list_file
        self.problems = {}
        self.job = None
        self.cases = {}
        self.cases_fd = None
        self.graceful = False

    # -- hooks

    def pytest_collectreport(self, report):
        if not report.passed and report.nodeid:
            self.problems[report.nodeid] = report

    def pytest_runtest_logstart(self, nodeid, location):
        self.cases[nodeid] = _Case(nodeid, location)

    def pytest_runtest_logreport(self, report):
        case = self.cases.get(report.nodeid)
        if case is not None:
            case.reports.append(report)

    def pytest_runtest_logfinish(self, nodeid, location):
        # Streamed at once: a crash later in the job loses nothing already sent.
        case = self.cases.pop(nodeid, None)
        if case is not None and self.job is not None:
            self.emit(case.result())

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        # Replaces pytest's loop (tryfirst and returning True stops the default one).
        index = {item.nodeid: i for i, item in enumerate(session.items)}
        if self.list_file:
            # Reached only when collection went as far as `--collect-only` accepts (a usage or
            # internal error ends pytest before its loop): the same listing, from this session.
            try:
                problems = [_problem(report) for report in self.problems.values()]
                _write_listing(self.list_file, session.items, problems)
            except OSError:
                pass  # the runner then lists the suite itself
        self.channel.send(
            {
                "t": "ready",
                "pid": os.getpid(),
                "startupMs": round((time.monotonic() - _LOADED_AT) * 1000),
            }
        )
        while True:
            message = self.channel.receive()
            if message is None:
                break
            kind = message.get("t")
            if kind == "exit":
                self.graceful = True
                break
            if kind == "run":
                self.run_job(session, index, message)
        self.teardown(session, None)
        return True

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        # Failures were reported per job; a session that was told to exit ends cleanly.
        if self.graceful:
            session.exitstatus = 0

    # -- jobs

    def run_job(self, session, index, message):
        job = message.get("job")
        request = message.get("request") or {}
        ids = [str(i) for i in request.get("tests") or []]
        saved_env = dict(os.environ)
        saved_argv = list(sys.argv)
        saved_cwd = os.getcwd()
        notes = []
        self.job = job
        self.cases_fd = _open_cases_file(message.get("casesFile"))
        session.shouldfail = False
        session.shouldstop = False
        try:
            env = message.get("env")
            if isinstance(env, dict):
                os.environ.clear()
                os.environ.update({str(k): str(v) for k, v in env.items()})
            sys.argv = [saved_argv[0]] + self.user_args
            items = []
            for nodeid in ids:
                if nodeid in index:
                    items.append(index[nodeid])
                elif nodeid in self.problems:
                    self.emit(_collect_case(self.problems[nodeid]))
                else:
                    self.emit(_unknown_case(nodeid))
            # Collection order keeps module and class fixtures shared as pytest itself would.
            items = sorted(set(items))
            for n, i in enumerate(items):
                item = session.items[i]
                if n == 0:
                    self.teardown(session, item, notes)
                if n + 1 < len(items):
                    nextitem = session.items[items[n + 1]]
                else:
                    # The item after it in collection order: what the next job most likely
                    # runs, so shared fixtures stay up; a different one tears down first.
                    nextitem = session.items[i + 1] if i + 1 < len(session.items) else None
                item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                if session.shouldfail or session.shouldstop:
                    notes.append("stopped early: %s" % (session.shouldfail or session.shouldstop))
                    break
        finally:
            self.job = None
            if self.cases_fd is not None:
                os.close(self.cases_fd)
                self.cases_fd = None
            sys.argv = saved_argv
            os.environ.clear()
            os.environ.update(saved_env)
            try:
                os.chdir(saved_cwd)
            except OSError:
                pass
        done = {"t": "done", "job": job}
        rss = _rss_bytes()
        if rss is not None:
            done["rssBytes"] = rss
        if notes:
            done["note"] = "; ".join(notes)
        if session.config.pluginmanager.has_plugin("_cov"):
            # pytest-cov is on: each session writes its own data and reports (see notice).
            done["notices"] = [_COVERAGE_NOTICE]
        # The job's output reaches the worker's pipes before its ``done`` does.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed stream has nothing to flush
                pass
        self.channel.send(done)

    def emit(self, case):
        """One finished test of the running job, to the job's cases file (else the channel)."""
        line = {"t": "case", "job": self.job, "case": case}
        if self.cases_fd is None:
            self.channel.send(line)
            return
        data = (json.dumps(line, separators=(",", ":")) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self.cases_fd, data) :]

    def teardown(self, session, nextitem, notes=None):
        """Tears down fixtures that `nextitem` does not share (all of them for None)."""
        try:
            session._setupstate.teardown_exact(nextitem)
        except BaseException as error:  # noqa: B036 - a fixture's teardown may raise anything
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            text = "fixture teardown before the job failed: %r" % (error,)
            if notes is not None:
                notes.append(text)
            self.channel.send({"t": "log", "text": text})


def _open_cases_file(path):
    """The run's ``casesFile`` (see CASES_FILE in squall's session messages), or None.

    A case written there costs one write to the page cache; sent on the channel it wakes the
    worker once per test, which on a busy machine costs more than a short test itself. What
    was written survives a crash of this process as well as what was sent.
    """
    if not isinstance(path, str) or not path:
        return None
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o600)
    except OSError:
        return None


def _unknown_case(nodeid):
    suite, name = _junit_address(nodeid)
    case = {
        "id": nodeid,
        "name": name,
        "file": _file_of(nodeid),
        "status": "error",
        "durationMs": 0,
        "message": "not found: the session did not collect %s" % nodeid,
    }
    if suite:
        case["suite"] = suite
    return case


# The words of coverageNotice in src/frameworks/core/coverage-notice.ts, for a session: it
# collects over all its jobs and writes when it ends, so the last session to end wins.
_COVERAGE_NOTICE = (
    "coverage is on, and squall does not merge it yet: each worker slot's pytest session "
    "wrote a report of its own jobs' tests to .coverage and the --cov-report outputs, so the "
    "report left there covers one slot's share, not the suite, and --cov-fail-under was "
    "checked per session and did not fail this run; for the suite's coverage run it without "
    "squall, or merge the sessions' reports"
)


def _rss_bytes():
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def pytest_configure(config):
    if _CHANNEL_FD:
        user_args = json.loads(_USER_ARGS) if _USER_ARGS else []
        session = _Session(int(_CHANNEL_FD), user_args, _LIST_FILE)
        config.pluginmanager.register(session, "squall-session")
    elif _LIST_FILE:
        config.pluginmanager.register(_Lister(_LIST_FILE), "squall-list")
