"""A client for `colony serve` (docs/serve.md): tasks, memory, events, agents and inboxes over /v1.

One file, Python 3.8+ standard library only: copy it next to your agent. A Client keeps one keep-alive
connection and is not thread-safe: give each thread its own. Every error the server answers is raised as
ColonyError, carrying the problem+json `code` (STALE_LEASE, CAS_CONFLICT, ...), the HTTP status and the
detail; connection failures are OSError as usual.

    from colony_client import Client, ColonyError
    c = Client("http://127.0.0.1:7070")              # token from $COLONY_TOKEN, or token="..."
    c.submit("render", {"frame": 7}, id="t1")
    lease = c.claim("w1", ["render"], wait="25s")     # None when nothing came within wait
    while lease:                                      # complete, and claim the next in the same request
        handoff = c.complete(lease["taskId"], lease["token"], result={"ok": True},
                             claim_next={"agent": "w1", "types": ["render"]})
        lease = handoff["next"]                       # None: nothing queued (claim with wait again)
    for event in c.events("orders.>"):                # resumes with Last-Event-ID after a disconnect
        print(event.kind, event.id, event.data)
"""

import http.client
import json
import os
import time
import urllib.parse

__all__ = ["Client", "ColonyError", "Event"]

# Jetty closes a connection idle for 60 s; a connection idle longer than this is replaced before use.
_STALE_AFTER_S = 50.0


class ColonyError(Exception):
    """An error answer of the server (application/problem+json), or a malformed answer.

    code: Colony's outcome code ("STALE_LEASE", "CAS_CONFLICT", "NO_SUCH_KEY", "RATE_LIMITED", ...);
    status: the HTTP status; detail: the server's explanation; problem: the whole document (a 412
    CAS_CONFLICT holds the current entry in problem["current"]); retry_after: seconds, or None.
    """

    def __init__(self, status, code, detail, problem=None, retry_after=None):
        super().__init__("%s %s: %s" % (status, code, detail))
        self.status = status
        self.code = code
        self.detail = detail
        self.problem = problem or {}
        self.retry_after = retry_after

    @property
    def current(self):
        """The entry or leader as it is now (CAS_CONFLICT, NOT_LEADER), or None."""
        return self.problem.get("current")


class Event:
    """One server-sent event: kind is "message", "reset", "gap" (or another event name), id its id
    (None for frames without one), data its JSON-decoded data."""

    __slots__ = ("kind", "id", "data")

    def __init__(self, kind, id, data):
        self.kind = kind
        self.id = id
        self.data = data

    def __repr__(self):
        return "Event(%r, %r, %r)" % (self.kind, self.id, self.data)


def _duration(value):
    """A duration for the server: numbers are seconds, strings ("30s", "PT1M") pass unchanged."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("a duration must be a non-negative number of seconds or a string such as '30s', got %r"
                         % (value,))
    return "%dms" % round(value * 1000)


def _name(value, what):
    if not isinstance(value, str) or not value:
        raise ValueError("%s must be a non-empty string, got %r" % (what, value))
    return urllib.parse.quote(value, safe="")


def _body(**members):
    return {k: v for k, v in members.items() if v is not None}


class Client:
    """A connection to one colony server.

    url: "http://127.0.0.1:7070" (https works too); token: the bearer token, default $COLONY_TOKEN;
    timeout: socket timeout in seconds for ordinary calls (long-polls add their wait);
    rate_limit_retries: how often a 429 RATE_LIMITED answer is retried after its Retry-After.
    """

    def __init__(self, url, token=None, timeout=30.0, rate_limit_retries=5):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("url must be http://host:port or https://host:port, got %r" % (url,))
        self.url = url.rstrip("/")
        self._scheme = parsed.scheme
        self._host = parsed.hostname
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.token = token if token is not None else os.environ.get("COLONY_TOKEN")
        if not self.token:
            raise ValueError("no token: pass token=... or set $COLONY_TOKEN")
        self.timeout = timeout
        self.rate_limit_retries = rate_limit_retries
        self._conn = None
        self._last_used = 0.0

    # ---------------------------------------------------------------- plumbing

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _connect(self, timeout):
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _headers(self, extra=None):
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if extra:
            headers.update(extra)
        return headers

    def request(self, method, path, body=None, headers=None, query=None, wait=0.0):
        """Sends one request; returns (status, headers, decoded JSON body or None). Raises ColonyError
        for answers of 400 and above. wait: extra seconds the server may hold the request (long-polls)."""
        if query:
            query = {k: v for k, v in query.items() if v is not None}
            if query:
                path += "?" + urllib.parse.urlencode(query)
        data = None
        all_headers = self._headers(headers)
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            status, answer_headers, raw = self._exchange(method, path, data, all_headers, self.timeout + wait)
            if status == 429 and attempt < self.rate_limit_retries:
                attempt += 1
                time.sleep(_retry_after(answer_headers) or 1.0)
                continue
            return self._decode(status, answer_headers, raw)

    def _exchange(self, method, path, data, headers, timeout):
        now = time.monotonic()
        if self._conn is not None and now - self._last_used > _STALE_AFTER_S:
            self.close()
        reused = self._conn is not None
        if self._conn is None:
            self._conn = self._connect(timeout)
        self._conn.timeout = timeout
        if self._conn.sock is not None:
            self._conn.sock.settimeout(timeout)
        try:
            self._conn.request(method, path, body=data, headers=headers)
            response = self._conn.getresponse()
            raw = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.close()
            # the server closed a kept-alive connection: only a request that is safe to repeat is repeated
            if reused and method in ("GET", "HEAD", "DELETE"):
                return self._exchange(method, path, data, headers, timeout)
            raise
        except BaseException:
            self.close()
            raise
        self._last_used = time.monotonic()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response, raw

    @staticmethod
    def _decode(status, response, raw):
        text = raw.decode("utf-8") if raw else ""
        parsed = None
        if text:
            try:
                parsed = json.loads(text)
            except ValueError:
                if status < 400 and "json" in (response.getheader("Content-Type") or ""):
                    raise ColonyError(status, "BAD_ANSWER", "the server sent malformed JSON: %r" % text[:200])
        if status >= 400:
            problem = parsed if isinstance(parsed, dict) else {}
            raise ColonyError(status, problem.get("code", "HTTP_%d" % status),
                              problem.get("detail", text[:200]), problem, _retry_after(response))
        return status, response, parsed

    # ---------------------------------------------------------------- tasks

    def submit(self, type, payload=None, id=None, priority=None, required_capabilities=None,
               max_attempts=None, fence=None):
        """Submits a task; returns the Task. Submitting the same id, type and payload again is a no-op."""
        return self.request("POST", "/v1/tasks", _body(
            type=type, payload=payload, id=id, priority=priority, requiredCapabilities=required_capabilities,
            maxAttempts=max_attempts, fence=fence))[2]

    def claim(self, agent, types, wait=None, capabilities=None, lease=None):
        """Claims a task of one of types; returns the Lease ({taskId, token, task, ...}) or None when
        nothing came within wait (seconds or "25s"; the server caps it at 25 s)."""
        wait_seconds = _seconds(wait)
        status, _, lease_json = self.request(
            "POST", "/v1/tasks/claim",
            _body(agent=agent, types=list(types), capabilities=capabilities, lease=_duration(lease)),
            query={"wait": _duration(wait)}, wait=wait_seconds)
        return None if status == 204 else lease_json

    def renew(self, task_id, token, extension=None):
        return self.request("POST", "/v1/tasks/%s/renew" % _name(task_id, "task_id"),
                            _body(token=token, extension=_duration(extension)))[2]

    def complete(self, task_id, token, result=None, fence=None, claim_next=None):
        """Completes a claimed task; ColonyError STALE_LEASE when the lease was lost.

        With claim_next ({"agent": ..., "types": [...], "capabilities": [...]?, "lease": ...?}, the claim's
        arguments), the same call also claims the worker's next task, without waiting, whatever the
        completion's outcome, and returns the handoff {"taskId", "outcome", "next"}: outcome is "OK",
        "STALE_LEASE" or "NOT_CLAIMED" (not raised: the next lease must not be lost), next the Lease or None
        (then claim with wait). A fence cannot go with claim_next."""
        if claim_next is None:
            return self.request("POST", "/v1/tasks/%s/complete" % _name(task_id, "task_id"),
                                _body(token=token, result=result, fence=fence))[2]
        if not isinstance(claim_next, dict):
            raise ValueError("claim_next must be a dict such as {'agent': 'w1', 'types': ['render']}, got %r"
                             % (claim_next,))
        nxt = dict(claim_next)
        if "types" in nxt and nxt["types"] is not None:
            nxt["types"] = list(nxt["types"])
        if "lease" in nxt:
            nxt["lease"] = _duration(nxt["lease"])
        handoff = self.request("POST", "/v1/tasks/%s/complete" % _name(task_id, "task_id"),
                               _body(token=token, result=result, fence=fence, next=_body(**nxt)))[2]
        handoff.setdefault("next", None)
        return handoff

    def fail(self, task_id, token, reason=None, retryable=None):
        return self.request("POST", "/v1/tasks/%s/fail" % _name(task_id, "task_id"),
                            _body(token=token, reason=reason, retryable=retryable))[2]

    def cancel(self, task_id):
        return self.request("POST", "/v1/tasks/%s/cancel" % _name(task_id, "task_id"))[2]

    def task(self, task_id):
        return self.request("GET", "/v1/tasks/%s" % _name(task_id, "task_id"))[2]

    def tasks(self, status=None, limit=None):
        return self.request("GET", "/v1/tasks", query={"status": status, "limit": limit})[2]["tasks"]

    # ---------------------------------------------------------------- memory

    def get(self, namespace, key):
        """The Entry {namespace, key, value, version, expiresAt?}; ColonyError NO_SUCH_KEY if absent."""
        return self.request("GET", self._memory(namespace, key))[2]

    def put(self, namespace, key, value, version=None, create_only=False, ttl=None, fence=None):
        """Writes value; with version, only if the entry still has it (compare-and-set: ColonyError
        CAS_CONFLICT with .current otherwise); with create_only, only if absent. Returns the new Entry."""
        headers = {}
        if version is not None:
            headers["If-Match"] = '"%d"' % version
        if create_only:
            headers["If-None-Match"] = "*"
        return self.request("PUT", self._memory(namespace, key),
                            _body(value=value, ttl=_duration(ttl), fence=fence), headers=headers)[2]

    def delete(self, namespace, key):
        self.request("DELETE", self._memory(namespace, key))

    @staticmethod
    def _memory(namespace, key):
        return "/v1/memory/%s/%s" % (_name(namespace, "namespace"), _name(key, "key"))

    # ---------------------------------------------------------------- events

    def publish(self, subject, payload, priority=None):
        """Publishes payload on subject; returns {matched, accepted, dropped, rejected, failed}."""
        return self.request("POST", "/v1/events/%s" % _name(subject, "subject"), payload,
                            query={"priority": priority})[2]

    def events(self, pattern, last_event_id=None, reconnect=True, retry_delay=0.2, max_delay=2.0,
               max_down=300.0, filter=None, filter_policy=None):
        """Yields the Events of the subjects matching pattern, forever.

        filter: the name of a deployed WebAssembly filter plugin that decides, on the server, which
        events this stream gets; filter_policy: "fail_closed" (the default), "fail_open" or "reload" for
        a failed plugin call (docs/serve.md). An unknown plugin is a ColonyError NO_SUCH_PLUGIN.

        Each connection starts with an Event of kind "ready" (attached: live from here) or "reset";
        then come "message" Events whose data is {subject, payload}.
        After a dropped connection (a server restart, a `gap`) it reconnects with Last-Event-ID, so
        nothing is lost or repeated; when the server cannot replay from there it yields an Event of kind
        "reset" first: re-read the state you derive from events, then carry on. A "gap" Event is yielded
        before the reconnect. Reconnects back off from retry_delay to max_delay seconds and give up
        (raising the last OSError) after max_down seconds without a connection; reconnect=False ends the
        iteration when the stream ends instead. ColonyError (a bad pattern or token) is never retried.
        """
        down_since = None
        delay = retry_delay
        while True:
            try:
                for event in self._stream(pattern, last_event_id, filter, filter_policy):
                    down_since = None
                    delay = retry_delay
                    if event.id is not None:
                        last_event_id = event.id
                    yield event
            except (OSError, http.client.HTTPException) as e:
                if not reconnect:
                    raise
                now = time.monotonic()
                down_since = down_since or now
                if now - down_since > max_down:
                    raise OSError("no connection to %s for %.0f s: %s" % (self.url, max_down, e)) from e
            else:
                if not reconnect:
                    return
            time.sleep(delay)
            delay = min(delay * 2, max_delay)

    def _stream(self, pattern, last_event_id, filter=None, filter_policy=None):
        headers = self._headers({"Accept": "text/event-stream"})
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        conn = self._connect(self.timeout)
        try:
            query = {"pattern": pattern, "filter": filter, "filterPolicy": filter_policy}
            query = {k: v for k, v in query.items() if v is not None}
            conn.request("GET", "/v1/events?" + urllib.parse.urlencode(query), headers=headers)
            response = conn.getresponse()
            if response.status >= 400:
                self._decode(response.status, response, response.read())
            # keep-alive comments arrive every 15 s: a silent socket for 4x that means a dead server
            conn.sock.settimeout(max(self.timeout, 60.0))
            yield from _parse_sse(response)
        finally:
            conn.close()

    # ---------------------------------------------------------------- agents, inboxes, messages

    def register(self, id, role=None, capabilities=None, metadata=None, inbox=True):
        return self.request("POST", "/v1/agents", _body(
            id=id, role=role, capabilities=capabilities, metadata=metadata, inbox=inbox))[2]

    def agents(self, role=None, status=None):
        return self.request("GET", "/v1/agents", query={"role": role, "status": status})[2]["agents"]

    def agent(self, agent_id):
        return self.request("GET", "/v1/agents/%s" % _name(agent_id, "agent_id"))[2]

    def deregister(self, agent_id):
        self.request("DELETE", "/v1/agents/%s" % _name(agent_id, "agent_id"))

    def heartbeat(self, agent_id):
        return self.request("POST", "/v1/agents/%s/heartbeat" % _name(agent_id, "agent_id"))[2]

    def inbox(self, agent_id, after=None, max=None, wait=None):
        """Reads the inbox: {messages: [{seq, message}], unread}. Reads are at-least-once: pass the last
        seq you processed as after (or ack it) to move on."""
        return self.request("GET", "/v1/agents/%s/inbox" % _name(agent_id, "agent_id"),
                            query={"after": after, "max": max, "wait": _duration(wait)},
                            wait=_seconds(wait))[2]

    def ack(self, agent_id, up_to):
        return self.request("POST", "/v1/agents/%s/inbox/ack" % _name(agent_id, "agent_id"),
                            {"upTo": up_to})[2]

    def send(self, sender, to, type, payload, priority=None, headers=None, correlation_id=None, ttl=None):
        """Sends a message to agent to's inbox; returns {outcome, id}."""
        return self.request("POST", "/v1/messages", _body(
            **{"from": sender}, to=to, type=type, payload=payload, priority=priority, headers=headers,
            correlationId=correlation_id, ttl=_duration(ttl)))[2]

    def request_reply(self, sender, to, type, payload, timeout=None):
        """Sends a request and waits for its reply (at most 25 s): returns the reply Message."""
        return self.request("POST", "/v1/messages/request", _body(
            **{"from": sender}, to=to, type=type, payload=payload, timeout=_duration(timeout)),
            wait=_seconds(timeout))[2]["reply"]

    # ---------------------------------------------------------------- leaders

    def leader(self, group):
        return self.request("GET", "/v1/leaders/%s" % _name(group, "group"))[2]

    def campaign(self, group, agent, lease=None):
        """Campaigns for group; returns the Leader (its term fences writes). ColonyError NOT_LEADER with
        .current when someone else leads."""
        return self.request("POST", "/v1/leaders/%s/campaign" % _name(group, "group"),
                            _body(agent=agent, lease=_duration(lease)))[2]

    def resign(self, group, agent, term):
        self.request("POST", "/v1/leaders/%s/resign" % _name(group, "group"), {"agent": agent, "term": term})


def _seconds(value):
    """Seconds of a duration given as a number or a string such as 25s, 500ms, 2m, PT25S (25 if unknown)."""
    if value is None:
        return 0.0
    if not isinstance(value, str):
        _duration(value)
        return float(value)
    text = value.strip().upper()
    for suffix, factor in (("MS", 0.001), ("S", 1.0), ("M", 60.0), ("H", 3600.0)):
        if text.endswith(suffix) and not text.startswith("P"):
            try:
                return float(text[:-len(suffix)]) * factor
            except ValueError:
                break
    return 25.0  # the server caps every wait at 25 s


def _retry_after(response):
    value = response.getheader("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _parse_sse(response):
    """Yields the Events of a text/event-stream body (comments skipped) until it ends."""
    kind, event_id, data = None, None, []
    while True:
        line = response.readline()
        if not line:
            return
        line = line.decode("utf-8").rstrip("\r\n")
        if not line:
            if data or kind:
                text = "\n".join(data)
                try:
                    decoded = json.loads(text) if text else None
                except ValueError:
                    decoded = text
                yield Event(kind or "message", event_id, decoded)
            kind, event_id, data = None, None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                kind = value
            elif field == "id":
                event_id = value
            elif field == "data":
                data.append(value)

