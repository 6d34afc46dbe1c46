"""unittest tests of colony_client.py against a running `colony serve`.

Needs $COLONY_URL and $COLONY_TOKEN (an admin token), and $COLONY_CONTROL: a directory where the restart
test writes a file named `restart` and waits until the harness has restarted the server on the same
port and data directory and deleted the file. colony-server's PythonClientTest runs this suite so:

    COLONY_URL=... COLONY_TOKEN=... COLONY_CONTROL=... python3 -m unittest -v test_colony_client

Nothing here waits a fixed time for an outcome: every wait is on a condition with a generous bound.
The same file is the worker and counter programs the tests start (`python3 test_colony_client.py worker`).
"""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import unittest

from colony_client import Client, ColonyError

HERE = os.path.dirname(os.path.abspath(__file__))
BOUND_S = 120.0  # generous: the build machine is small and shared


def _env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError("$%s is not set: see the docstring of %s" % (name, __file__))
    return value


def client():
    return Client(_env("COLONY_URL"), _env("COLONY_TOKEN"))


def wait_until(condition, what, bound=BOUND_S):
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within %.0f s: %s" % (bound, what))
        time.sleep(0.05)


# ---------------------------------------------------------------- programs the tests start


def worker(agent, task_type, stop_file, hang):
    """Claims tasks of task_type until stop_file exists; prints `done <id>` for each it completed.
    With hang, it stops after its first claim (printing `claimed <id>`) and waits to be killed."""
    c = client()
    while not os.path.exists(stop_file):
        lease = c.claim(agent, [task_type], wait="1s", lease="3s")
        if lease is None:
            continue
        if hang:
            print("claimed", lease["taskId"], flush=True)
            while True:
                time.sleep(60)
        try:
            c.complete(lease["taskId"], lease["token"], result={"by": agent})
            print("done", lease["taskId"], flush=True)
        except ColonyError as e:
            if e.code not in ("STALE_LEASE", "NOT_CLAIMED"):
                raise
            print("stale", lease["taskId"], flush=True)  # our lease expired: someone else has it


def counter(namespace, key, n):
    """Adds 1 to the entry n times by compare-and-set, retrying on CAS_CONFLICT; prints the retries."""
    c = client()
    conflicts = 0
    for _ in range(n):
        while True:
            entry = c.get(namespace, key)
            try:
                c.put(namespace, key, entry["value"] + 1, version=entry["version"])
                break
            except ColonyError as e:
                if e.code != "CAS_CONFLICT":
                    raise
                conflicts += 1
    print("conflicts", conflicts, flush=True)


def _python(*args):
    return subprocess.Popen([sys.executable, os.path.join(HERE, "test_colony_client.py")] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# ---------------------------------------------------------------- tests


class _Test(unittest.TestCase):
    def client(self, token=None):
        c = Client(_env("COLONY_URL"), token or _env("COLONY_TOKEN"))
        self.addCleanup(c.close)
        return c


class TaskTest(_Test):
    TASKS = 200
    WORKERS = 8
    TYPE = "pyjob"

    def test_workers_oneKilledMidTask_everyTaskCompletedExactlyOnce(self):
        c = self.client()
        for i in range(self.TASKS):
            c.submit(self.TYPE, {"n": i}, id="job-%d" % i)
        stop = os.path.join(_env("COLONY_CONTROL"), "stop-workers")
        victim = _python("worker", "victim", self.TYPE, stop, "hang")
        workers = [_python("worker", "w%d" % i, self.TYPE, stop, "") for i in range(self.WORKERS - 1)]
        claimed = victim.stdout.readline().split()
        self.assertEqual(claimed[0], "claimed", "the victim claimed nothing: %r" % claimed)
        victim.send_signal(signal.SIGKILL)  # mid-task: it holds a lease it will never complete
        victim.communicate()

        wait_until(lambda: len(self._completed(c)) == self.TASKS, "all %d tasks completed" % self.TASKS)
        open(stop, "w").close()
        done = []
        for w in workers:
            out, err = w.communicate(timeout=BOUND_S)
            self.assertEqual(w.returncode, 0, err)
            done += [line.split()[1] for line in out.splitlines() if line.startswith("done ")]
        expected = sorted("job-%d" % i for i in range(self.TASKS))
        self.assertEqual(sorted(done), expected)  # each completed once: no loss, no duplicate
        self.assertIn(claimed[1], done)  # the killed worker's task was claimed again after its lease expired
        self.assertEqual(sorted(t["id"] for t in self._completed(c)), expected)

    def _completed(self, c):
        return [t for t in c.tasks(status="COMPLETED", limit=10000) if t["type"] == self.TYPE]

    def test_lease_staleToken_raisesStaleLease(self):
        c = self.client()
        c.submit("pystale", {"x": 1}, id="stale-1")
        lease = c.claim("s1", ["pystale"], wait=5, lease="10s")
        self.assertEqual(lease["taskId"], "stale-1")
        c.renew("stale-1", lease["token"], extension="10s")
        with self.assertRaises(ColonyError) as raised:
            c.complete("stale-1", lease["token"] + 1000)
        self.assertEqual(raised.exception.code, "STALE_LEASE")
        self.assertEqual(raised.exception.status, 409)
        outcome = c.fail("stale-1", lease["token"], reason="boom", retryable=False)
        self.assertEqual(outcome["task"]["status"], "DEAD")
        self.assertIsNone(c.claim("s1", ["pystale"], wait="100ms"))

    def test_complete_claimNext_completesAndReturnsTheNextLease(self):
        c = self.client()
        c.submit("pynext", {"n": 1}, id="next-1")
        c.submit("pynext", {"n": 2}, id="next-2")
        lease = c.claim("n1", ["pynext"], wait=5)
        self.assertEqual(lease["taskId"], "next-1")

        handoff = c.complete("next-1", lease["token"], result={"ok": 1},
                             claim_next={"agent": "n1", "types": ("pynext",), "lease": 10})

        self.assertEqual(handoff["outcome"], "OK")
        self.assertEqual(handoff["taskId"], "next-1")
        self.assertEqual(handoff["next"]["taskId"], "next-2")
        self.assertEqual(handoff["next"]["agent"], "n1")
        self.assertEqual(c.task("next-1")["status"], "COMPLETED")
        self.assertEqual(c.task("next-1")["result"], {"ok": 1})
        stale = c.complete("next-1", lease["token"], claim_next={"agent": "n1", "types": ["pynext"]})
        self.assertEqual(stale["outcome"], "NOT_CLAIMED")  # not raised: the answer could have held a lease
        self.assertIsNone(stale["next"])
        last = c.complete("next-2", handoff["next"]["token"], claim_next={"agent": "n1", "types": ["pynext"]})
        self.assertEqual(last["outcome"], "OK")
        self.assertIsNone(last["next"])  # nothing queued: the next part does not wait
        with self.assertRaises(ColonyError) as raised:
            c.complete("next-2", 1, claim_next={"agent": "n1"})
        self.assertEqual(raised.exception.code, "BAD_REQUEST")
        self.assertIn("next.types", raised.exception.detail)


class MemoryTest(_Test):
    PROCESSES = 12
    INCREMENTS = 25

    def test_counter_twelveProcessesByCas_losesNoUpdate(self):
        c = self.client()
        c.put("py", "counter", 0)
        procs = [_python("counter", "py", "counter", str(self.INCREMENTS)) for _ in range(self.PROCESSES)]
        for p in procs:
            out, err = p.communicate(timeout=BOUND_S * 2)
            self.assertEqual(p.returncode, 0, err)
            self.assertTrue(out.startswith("conflicts "), out)
        self.assertEqual(c.get("py", "counter")["value"], self.PROCESSES * self.INCREMENTS)

    def test_put_casAndCreateOnlyAndDelete_behaveAsDocumented(self):
        c = self.client()
        first = c.put("pymem", "k", {"a": 1}, create_only=True)
        with self.assertRaises(ColonyError) as exists:
            c.put("pymem", "k", {"a": 2}, create_only=True)
        self.assertEqual(exists.exception.status, 412)
        second = c.put("pymem", "k", {"a": 2}, version=first["version"])
        with self.assertRaises(ColonyError) as conflict:
            c.put("pymem", "k", {"a": 3}, version=first["version"])
        self.assertEqual(conflict.exception.code, "CAS_CONFLICT")
        self.assertEqual(conflict.exception.current["value"], {"a": 2})
        self.assertEqual(c.get("pymem", "k")["version"], second["version"])
        self.assertIn("expiresAt", c.put("pymem", "t", 1, ttl="1h"))
        c.delete("pymem", "k")
        with self.assertRaises(ColonyError) as gone:
            c.get("pymem", "k")
        self.assertEqual(gone.exception.code, "NO_SUCH_KEY")

    def test_badInput_raisesClearErrors(self):
        with self.assertRaises(ColonyError) as unauthorized:
            self.client("not-a-token").get("pymem", "k")
        self.assertEqual(unauthorized.exception.code, "UNAUTHORIZED")
        with self.assertRaises(ColonyError) as bad:
            self.client().put("bad ns!", "k", 1)
        self.assertEqual(bad.exception.code, "BAD_REQUEST")
        with self.assertRaises(ValueError):
            self.client().claim("w", ["t"], wait=-1)
        with self.assertRaises(ValueError):
            Client("ftp://x", "t")


class AgentTest(_Test):
    def test_inbox_sendReadAck_deliversOnceAcked(self):
        c = self.client()
        c.register("pyagent", role="worker")
        self.assertIn("pyagent", [a["id"] for a in c.agents(role="worker")])
        self.assertEqual(c.send("pyboss", "pyagent", "hello", {"n": 1})["outcome"], "DELIVERED")
        read = c.inbox("pyagent", wait="5s")
        self.assertEqual([m["message"]["payload"] for m in read["messages"]], [{"n": 1}])
        seq = read["messages"][0]["seq"]
        self.assertEqual(c.ack("pyagent", seq)["unread"], 0)
        self.assertEqual(c.inbox("pyagent", after=seq, wait="100ms")["messages"], [])
        c.heartbeat("pyagent")
        leader = c.campaign("pygroup", "pyagent", lease="10s")
        self.assertEqual(c.leader("pygroup")["leader"], "pyagent")
        c.resign("pygroup", "pyagent", leader["term"])
        c.deregister("pyagent")


class EventTest(_Test):
    def test_events_reconnectWithLastId_replaysExactlyTheMissedOnes(self):
        c = self.client()
        reader = _Reader(c.events("pyresume.>", reconnect=False))
        self.assertEqual(reader.take(1)[0].kind, "ready")
        for i in range(3):
            c.publish("pyresume.a", {"n": i})
        seen = reader.take(3)
        self.assertEqual([e.data["payload"]["n"] for e in seen], [0, 1, 2])
        reader.close()
        for i in range(3, 6):
            c.publish("pyresume.a", {"n": i})  # published while this reader is gone
        resumed = _Reader(c.events("pyresume.>", last_event_id=seen[-1].id))
        self.assertEqual(resumed.take(1)[0].kind, "ready")
        c.publish("pyresume.a", {"n": 6})
        events = resumed.take(4)
        self.assertEqual([(e.kind, e.data["subject"], e.data["payload"]["n"]) for e in events],
                         [("message", "pyresume.a", n) for n in range(3, 7)])

    def test_events_unknownFilterPlugin_colonyErrorNotRetried(self):
        with self.assertRaises(ColonyError) as raised:
            next(self.client().events("pyfilter.>", filter="no-such-plugin"))
        self.assertEqual(raised.exception.status, 404)
        self.assertEqual(raised.exception.code, "NO_SUCH_PLUGIN")

    def test_events_serverRestart_resumesWithResetThenEveryLaterEvent(self):
        c = self.client()
        reader = _Reader(self.client().events("pyrestart.>", retry_delay=0.1, max_delay=1.0))
        self.assertEqual(reader.take(1)[0].kind, "ready")
        for i in range(5):
            c.publish("pyrestart.x", {"n": i})
        before = reader.take(5)
        self.assertEqual([e.data["payload"]["n"] for e in before], list(range(5)))

        control = os.path.join(_env("COLONY_CONTROL"), "restart")
        open(control, "w").close()
        wait_until(lambda: not os.path.exists(control), "the harness restarted the server")
        reset = reader.take(1)[0]
        self.assertEqual(reset.kind, "reset", reset)  # a new server start: its ring cannot replay
        self.assertEqual(reset.data["lastEventId"], before[-1].id)  # the reader resumed from its last id
        c = self.client()
        for i in range(5, 10):
            c.publish("pyrestart.x", {"n": i})
        after = reader.take(5)
        self.assertEqual([(e.kind, e.data["payload"]["n"]) for e in after], [("message", i) for i in range(5, 10)])


class _Reader:
    """Runs an event iterator on a daemon thread and hands its events over a queue."""

    def __init__(self, events):
        self._events = events
        self._queue = queue.Queue()
        self._closed = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            for event in self._events:
                if self._closed:
                    return
                self._queue.put(event)
        except BaseException as e:  # handed to the test thread
            self._queue.put(e)

    def take(self, n):
        taken = []
        while len(taken) < n:
            item = self._queue.get(timeout=BOUND_S)
            if isinstance(item, BaseException):
                raise item
            taken.append(item)
        return taken

    def close(self):
        self._closed = True


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "hang")
    elif len(sys.argv) > 1 and sys.argv[1] == "counter":
        counter(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        unittest.main()
