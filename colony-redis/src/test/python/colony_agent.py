#!/usr/bin/env python3
"""A Colony agent written in Python, speaking only docs/redis-protocol.md through the `colony` Redis
Functions library (FCALL) and plain Redis commands, with Debian's python3-redis.

Run by PythonAgentTest against a swarm whose Java node submitted task t1, subscribes to `py.>` on the bus
and has an inbox `java`:

    python3 colony_agent.py HOST PORT SWARM

It checks the layout version, registers agent `py`, claims and completes t1, publishes a bus event,
sends an at-least-once message to `java`, opens its own inbox `py`, receives one message there,
acknowledges it and answers it with a message to `java`. Exit code 0 when every step answered as the
protocol says; any other answer raises, exits non-zero and says which step.
"""

import json
import sys
import time

import redis

AGENT = "py"
NODE = "py-node"


def now():
    """Milliseconds since the epoch, the clock every state function is given as its first argument."""
    return str(int(time.time() * 1000))


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def fields(flat):
    """A hash in HGETALL form (field, value, field, value, ...) as a dict of strings."""
    return {text(flat[i]): text(flat[i + 1]) for i in range(0, len(flat), 2)}


def expect(step, got, wanted):
    if got != wanted:
        raise SystemExit(f"step {step}: expected {wanted!r}, got {got!r}")


def frame(event_id, kind, to, data, priority=4):
    """A CloudEvents 1.0 JSON message as the messenger's codec reads it (ADR 0006)."""
    return json.dumps({
        "specversion": "1.0", "id": event_id, "source": f"colony:agent/{AGENT}", "type": kind,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "to": to, "priority": priority,
        "data": data})


def send(r, p, to, message, priority):
    """The SEND function: capacity and overflow policy applied, answers {OK, entry id} when appended."""
    answer = r.execute_command("FCALL", "colony_msg_send", 2, p + "inboxes", p + "inbox:" + to,
                               to, message, str(priority), "", "", "1")
    expect("send to " + to, text(answer[0]), "OK")


def main(host, port, swarm):
    r = redis.Redis(host=host, port=int(port))
    p = "colony:{" + swarm + "}:"
    s = p + "s:"

    # 1. the layout this agent speaks, and the library's version
    expect("layout", text(r.get(p + "layout")), "3")
    version = text(r.execute_command("FCALL_RO", "colony_version", 0))
    expect("library layout", version.split(".")[0], "3")

    # 2. register
    registered = r.execute_command("FCALL", "colony_agent_register", 1, s, now(), AGENT, "worker", "", "{}", "10000")
    expect("register", fields(registered[0])["status"], "STARTING")

    # 3. claim the highest-priority task this agent can do (it has no capabilities)
    claimed = r.execute_command("FCALL", "colony_task_claim", 1, s, now(), AGENT, "30000")
    if claimed[0] == 0:
        raise SystemExit("step claim: no task to claim")
    task = fields(claimed[0])
    expect("claim", (task["id"], task["status"], task["holder"]), ("t1", "CLAIMED", AGENT))
    payload = task["payload"]

    # 4. complete it with the lease's token; a second completion is refused
    result = "done by python: " + payload
    completed = r.execute_command("FCALL", "colony_task_complete", 1, s, now(), "t1", task["token"], result, "", "")
    expect("complete", text(completed[0]), "OK")
    again = r.execute_command("FCALL", "colony_task_complete", 1, s, now(), "t1", task["token"], "twice", "", "")
    expect("complete twice", text(again[0]), "NOT_CLAIMED")

    # 5. publish an event on the bus (at most once): the minimal frame is {"data": ...}
    receivers = r.publish(p + "ev:py.done", json.dumps({"specversion": "1.0", "priority": 6,
                                                        "data": {"task": "t1", "result": result}}))
    if receivers < 1:
        raise SystemExit(f"step publish: no subscriber on the swarm ({receivers})")

    # 6. an at-least-once message to the Java agent `java`
    send(r, p, "java", frame("py-1", "py.hello", "java", {"from": AGENT, "n": 1}, priority=6), 6)

    # 7. open an inbox: keep the node alive, enter the directory, create the group
    r.execute_command("FCALL", "colony_msg_heartbeat", 2, p + "node:" + NODE, p + "replies:" + NODE, "60000")
    entry = json.dumps({"node": NODE, "roles": ["worker"], "capacity": 100, "overflow": "FAIL"})
    opened = r.execute_command("FCALL", "colony_msg_open", 2, p + "inboxes", p + "inbox:" + AGENT,
                               AGENT, entry, NODE, p)
    expect("open", text(opened[0]), "OK")

    # 8. receive one message (the Java side sends it once it sees the directory entry), ack + delete it
    got = r.xreadgroup("colony", NODE, {p + "inbox:" + AGENT: ">"}, count=1, block=60000)
    if not got:
        raise SystemExit("step receive: nothing arrived in 60 s")
    entry_id, body = got[0][1][0]
    message = json.loads(body[b"m"])
    expect("receive", (message["to"], message["type"]), (AGENT, "java.ask"))
    acked = r.execute_command("FCALL", "colony_msg_ack", 1, p + "inbox:" + AGENT, entry_id)
    expect("ack", (text(acked[0]), acked[1]), ("OK", 1))

    # 9. answer with a message to `java` carrying the received payload doubled
    send(r, p, "java", frame("py-2", "py.answer", "java", {"doubled": message["data"]["n"] * 2}), 4)

    # 10. leave: close the inbox (removes the directory entry and the stream)
    closed = r.execute_command("FCALL", "colony_msg_close", 2, p + "inboxes", p + "inbox:" + AGENT, AGENT, NODE)
    expect("close", text(closed[0]), "OK")
    print("python agent: every step answered as documented")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit("usage: colony_agent.py HOST PORT SWARM")
    main(sys.argv[1], sys.argv[2], sys.argv[3])
