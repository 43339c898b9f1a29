#!/usr/bin/env python3
"""Plays a realistic scene against a running tthost, for the status page's screenshot and its
render-time figure (scripts/status-page-screenshot.sh starts tthost and calls this).

Fake msg servers on loopback (each from its own 127.0.0.x address) list their users by client
type and send a steady, slowly varying mix of traffic: MSG_DATA, read receipts, status queries,
logins and logouts, P2P commands, file notices, heartbeats. Along the way one link blips (eof,
back a few seconds later), a silent probe connects and is closed at the idle timeout, one msg
server is drained through POST /drain and comes back, and the configuration file is edited
once (an applied reload). At the end it takes a screenshot of the status page with headless
Chromium while the traffic goes on, or (--measure) loads the page in a real-time Chromium over
the DevTools pipe and prints how long the page took to show its data and to render a refresh.

Loopback only; every loop is bounded by --duration; everything it starts it stops.
"""
import argparse
import fcntl
import json
import math
import os
import random
import selectors
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-crash-reporter",
                  "--mute-audio", "--hide-scrollbars"]

# ---- The wire format (protocol.md §1-3): a 16-byte header and a proto2 body ------------------

WINDOWS, MAC, IOS, ANDROID = 0x01, 0x02, 0x11, 0x12
ONLINE, OFFLINE = 1, 2


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def uint_field(number, value):
    return varint(number << 3) + varint(value)


def bytes_field(number, value):
    return varint((number << 3) | 2) + varint(len(value)) + value


def frame(service, command, body, seq=0):
    return struct.pack(">IHHHHHH", 16 + len(body), 1, 0, service, command, seq, 0) + body


def role_set(master):
    return frame(7, 0x0707, uint_field(1, 1 if master else 0))


def online_user_info(logins):
    entries = b"".join(bytes_field(1, uint_field(1, user) + uint_field(2, ONLINE) + uint_field(3, kind)) for user, kind in logins)
    return frame(7, 0x0708, entries)


def status_update(user, status, kind):
    return frame(7, 0x070A, uint_field(1, status) + uint_field(2, user) + uint_field(3, kind))


def status_request(seq, requester, ids):
    return frame(2, 0x020A, uint_field(1, requester) + b"".join(uint_field(2, i) for i in ids), seq)


def msg_data(sender, receiver, msg_id, text):
    body = (uint_field(1, sender) + uint_field(2, receiver) + uint_field(3, msg_id) + uint_field(4, int(time.time())) +
            uint_field(5, 1) + bytes_field(6, text))
    return frame(3, 0x0301, body)


def read_notify(user, session, msg_id):
    return frame(3, 0x0304, uint_field(1, user) + uint_field(2, session) + uint_field(3, msg_id) + uint_field(4, 1))


def p2p_cmd(sender, receiver):
    return frame(6, 0x0601, uint_field(1, sender) + uint_field(2, receiver) + bytes_field(3, b'{"cmd":"typing"}'))


def file_notify(sender, receiver):
    body = (uint_field(1, sender) + uint_field(2, receiver) + bytes_field(3, b"report.pdf") + uint_field(4, 48213) +
            bytes_field(5, b"task-%d" % random.randrange(1 << 30)) + uint_field(7, 1) + uint_field(8, 0))
    return frame(5, 0x0508, body)


def heartbeat():
    return frame(7, 0x0701, b"")


# ---- Fake msg servers -----------------------------------------------------------------------


class MsgServer:
    """One msg server: a nonblocking connection, what it still has to write, its users."""

    def __init__(self, index, source, port, logins, master, weight):
        self.index, self.source, self.port = index, source, port
        self.logins = logins  # [(user, client type)] logged in on it
        self.master, self.weight = master, weight
        self.sock = None
        self.pending = bytearray()
        self.phase = random.uniform(0, 2 * math.pi)
        self.reconnect_at = None

    def connect(self, selector, speak=True):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((self.source, 0))
        self.sock.connect(("127.0.0.1", self.port))
        self.sock.setblocking(False)
        selector.register(self.sock, selectors.EVENT_READ, self)
        if speak:
            self.send(role_set(self.master))
            self.send(online_user_info(self.logins))

    def address(self):
        host, port = self.sock.getsockname()
        return "%s:%d" % (host, port)

    def send(self, data):
        if self.sock:
            self.pending += data

    def flush(self):
        """Writes what it can; False when the route server closed the connection."""
        if self.sock and self.pending:
            try:
                sent = self.sock.send(self.pending)
                del self.pending[:sent]
            except BlockingIOError:
                pass
            except ConnectionError:
                return False
        return True

    def read(self, selector):
        """Reads and discards what arrived; on EOF closes and returns False."""
        try:
            data = self.sock.recv(262144)
        except BlockingIOError:
            return True
        except ConnectionError:
            data = b""
        if not data:
            self.close(selector)
            return False
        return True

    def close(self, selector):
        if self.sock:
            selector.unregister(self.sock)
            self.sock.close()
            self.sock = None
            self.pending.clear()


def spread_users(weights, users):
    """Users over the servers by weight; client types as deployments have them; some with two devices."""
    total_weight = sum(weights)
    kinds = [WINDOWS] * 45 + [ANDROID] * 30 + [IOS] * 15 + [MAC] * 10
    placement, user = [], 100000
    for weight in weights:
        count = max(1, int(users * weight / total_weight))
        logins = []
        for _ in range(count):
            user += 1
            kind = random.choice(kinds)
            logins.append((user, kind))
            if kind in (WINDOWS, MAC) and random.random() < 0.18:
                logins.append((user, random.choice([IOS, ANDROID])))
        placement.append(logins)
    return placement


def occurrences(expected):
    """A whole number of events whose mean is `expected`."""
    whole = int(expected)
    return whole + (1 if random.random() < expected - whole else 0)


# ---- The admin endpoint ---------------------------------------------------------------------


def admin_get(admin, path):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (admin, path), timeout=10) as answer:
        return json.loads(answer.read())


def drain(admin, address):
    peers = admin_get(admin, "/peers")["peers"]
    match = [p for p in peers if p["remote_address"] == address]
    if match:
        request = urllib.request.Request("http://127.0.0.1:%d/drain?peer=%d" % (admin, match[0]["id"]), method="POST", data=b"")
        urllib.request.urlopen(request, timeout=10).read()


def edit_config(path):
    with open(path) as f:
        text = f.read()
    text = text.replace("route.heartbeat_interval = 5s", "route.heartbeat_interval = 10s")
    with open(path + ".new", "w") as f:
        f.write(text)
    os.replace(path + ".new", path)


# ---- Chromium -------------------------------------------------------------------------------


def kill_group(process):
    """Kills what is left of a Chromium started in a session of its own, and reaps it."""
    try:
        os.killpg(process.pid, 9)
    except ProcessLookupError:
        pass
    process.wait()


def start_screenshot(url, out, width, height, profile):
    args = [CHROMIUM] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height),
                                          "--virtual-time-budget=4000", "--screenshot=" + out, url]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


class DevToolsPipe:
    """Chromium with --remote-debugging-pipe: JSON messages, NUL-terminated, on its fds 3 and 4."""

    def __init__(self, profile, width, height):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def pipe_ends_as_3_and_4():
            # Moved out of the way first, so neither end is overwritten by the other's dup2.
            read_end = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        # Everything else this process has open is close-on-exec (Python's default).
        self.process = subprocess.Popen([CHROMIUM] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile, "--window-size=%d,%d" % (width, height),
                                                                       "--remote-debugging-pipe", "about:blank"],
                                        close_fds=False, preexec_fn=pipe_ends_as_3_and_4, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer, self.next_id = b"", 0

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_browser, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply["result"]

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        kill_group(self.process)
        os.close(self.to_browser)
        os.close(self.from_browser)


def measure(url, width, height, profile, keep_serving):
    """Loads the page in real time; returns what it took to show its data and to render refreshes."""
    browser = DevToolsPipe(profile, width, height)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        started = time.time()
        browser.call("Page.navigate", {"url": url}, session)
        figures = {}
        while time.time() - started < 60:
            keep_serving(0.2)
            result = browser.call("Runtime.evaluate", {"expression": "JSON.stringify(document.body ? document.body.dataset : {})",
                                                       "returnByValue": True}, session)
            figures = json.loads(result["result"]["value"])
            if int(figures.get("refreshes", "0")) >= 4:
                break
        return figures
    finally:
        browser.close()


# ---- The scene ------------------------------------------------------------------------------


class Scene:
    """The msg servers, their traffic and the events of the scene, advanced a tick at a time."""

    TICK = 0.1

    def __init__(self, options, servers):
        self.options, self.servers = options, servers
        self.selector = selectors.DefaultSelector()
        self.all_users = [user for server in servers for user, _ in server.logins]
        self.start = time.time()
        self.last_heartbeat = self.start
        self.msg_id, self.seq = 1, 1
        self.offline = []  # (server, user, client type) logged out for now, to log in again later
        duration = options.duration
        self.events = sorted([
            (min(20, duration * 0.1), self.blip),
            (min(60, duration * 0.25), self.probe),
            (min(120, duration * 0.5), self.drain),
            (min(150, duration * 0.6), lambda: edit_config(options.config)),
        ], key=lambda event: event[0])
        for server in servers:
            server.connect(self.selector)

    # -- events

    def blip(self):
        """The last msg server's link resets; it is back six seconds later."""
        if len(self.servers) > 1:
            self.servers[-1].close(self.selector)
            self.servers[-1].reconnect_at = time.time() + 6

    def probe(self):
        """Something that is no msg server connects and says nothing: closed at the idle timeout."""
        probe = socket.create_connection(("127.0.0.1", self.options.port), source_address=("127.0.0.200", 0))
        self.selector.register(probe, selectors.EVENT_READ, None)

    def drain(self):
        """An operator drains the fifth msg server (POST /drain); it reconnects."""
        if len(self.servers) > 5 and self.servers[4].sock:
            drain(self.options.admin, self.servers[4].address())

    # -- traffic

    def tick(self):
        """One tick: due events, reconnections, the traffic of a tenth of a second, I/O."""
        now = time.time()
        elapsed = now - self.start
        while self.events and elapsed >= self.events[0][0]:
            self.events.pop(0)[1]()
        for server in self.servers:
            if server.sock is None and server.reconnect_at and now >= server.reconnect_at:
                server.reconnect_at = None
                server.connect(self.selector)
        live = [s for s in self.servers if s.sock]
        total_weight = sum(s.weight for s in live) or 1
        for server in live:
            # A slow swell over a few minutes, different on each server, and some noise.
            swell = 1 + 0.35 * math.sin(elapsed / 45 + server.phase) + 0.15 * math.sin(elapsed / 7 + server.phase * 2)
            self.traffic(server, server.weight / total_weight * swell * self.TICK)
        if now - self.last_heartbeat >= 5:
            self.last_heartbeat = now
            for server in live:
                server.send(heartbeat())
        self.serve(max(0.0, self.TICK - (time.time() - now)))

    def traffic(self, server, scale):
        """What `server` sends in a tick; `scale`: its share of the whole, times the tick."""
        rate, users = self.options.rate, self.all_users
        for _ in range(occurrences(rate * scale)):
            sender, receiver = random.choice(server.logins)[0], random.choice(users)
            server.send(msg_data(sender, receiver, self.msg_id, b"x" * random.randint(20, 400)))
            if random.random() < 0.4:
                server.send(read_notify(receiver, sender, self.msg_id))
            self.msg_id += 1
        for _ in range(occurrences(rate / 6 * scale)):
            ids = random.sample(users, min(len(users), random.randint(20, 120)))
            server.send(status_request(self.seq & 0xFFFF, random.choice(server.logins)[0], ids))
            self.seq += 1
        for _ in range(occurrences(6 * scale)):
            server.send(p2p_cmd(random.choice(server.logins)[0], random.choice(users)))
        for _ in range(occurrences(0.5 * scale)):
            server.send(file_notify(random.choice(server.logins)[0], random.choice(users)))
        # Churn: someone logs out; someone who did logs in again.
        for _ in range(occurrences(rate / 40 * scale)):
            user, kind = random.choice(server.logins)
            server.send(status_update(user, OFFLINE, kind))
            self.offline.append((server, user, kind))
        for _ in range(occurrences(rate / 40 * scale)):
            if self.offline:
                back, user, kind = self.offline.pop(random.randrange(len(self.offline)))
                back.send(status_update(user, ONLINE, kind))

    def serve(self, seconds):
        """Writes what is pending and reads (and drops) what came, for `seconds`."""
        end = time.time() + seconds
        while True:
            for server in self.servers:
                if not server.flush():
                    self.closed(server)
            left = end - time.time()
            for key, _ in self.selector.select(timeout=max(0.0, min(left, 0.02))):
                owner = key.data
                if owner is None:  # the probe: only its closing comes
                    if not key.fileobj.recv(4096):
                        self.selector.unregister(key.fileobj)
                        key.fileobj.close()
                elif not owner.read(self.selector):
                    self.closed(owner)
            if left <= 0:
                return

    def closed(self, server):
        """The route server closed `server` (drained, or a limit): it comes back a little later."""
        server.close(self.selector)
        if server.reconnect_at is None:
            server.reconnect_at = time.time() + 3

    def play_for(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            self.tick()

    def play_while(self, running, limit):
        """Plays on while `running()` holds, `limit` seconds at most; returns whether it stopped holding."""
        end = time.time() + limit
        while running():
            if time.time() >= end:
                return False
            self.tick()
        return True

    def close(self):
        for server in self.servers:
            server.close(self.selector)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="tthost's route port")
    parser.add_argument("--admin", type=int, required=True, help="tthost's admin port")
    parser.add_argument("--config", required=True, help="tthost's properties file (edited once)")
    parser.add_argument("--servers", type=int, default=12)
    parser.add_argument("--users", type=int, default=4000)
    parser.add_argument("--duration", type=float, default=420, help="seconds of traffic before the picture")
    parser.add_argument("--rate", type=float, default=450, help="MSG_DATA per second, all servers together")
    parser.add_argument("--screenshot", help="PNG to write")
    parser.add_argument("--size", default="1280x1760", help="the browser window, WIDTHxHEIGHT: the whole page by default")
    parser.add_argument("--measure", action="store_true", help="print the page's real-time load and render figures")
    options = parser.parse_args()
    random.seed(7)
    width, height = (int(v) for v in options.size.split("x"))

    weights = [random.uniform(0.4, 1.6) for _ in range(options.servers)]
    placement = spread_users(weights, options.users)
    servers = [MsgServer(i, "127.0.%d.%d" % (1 + i // 250, 2 + i % 250), options.port, placement[i], i % 6 != 5, weights[i])
               for i in range(options.servers)]
    scene = Scene(options, servers)
    print("%d msg servers, %d logins of %d users" % (len(servers), sum(len(s.logins) for s in servers), len(set(scene.all_users))),
          flush=True)
    scene.play_for(options.duration)

    status = 0
    url = "http://127.0.0.1:%d/" % options.admin
    with tempfile.TemporaryDirectory(prefix="ttroute-chromium-") as profile:
        if options.measure:
            figures = measure(url, width, height, profile, scene.play_for)
            print("page: first data shown %s ms after navigation; a refresh fetches for %s ms and renders in %s ms, the msg "
                  "servers table %s ms of it (%d msg servers)" % (figures.get("firstRenderMs"), figures.get("fetchMs"),
                                                                  figures.get("renderMs"), figures.get("peersRenderMs"),
                                                                  len([s for s in servers if s.sock])), flush=True)
        if options.screenshot:
            shot = start_screenshot(url, os.path.abspath(options.screenshot), width, height, profile)
            if not scene.play_while(lambda: shot.poll() is None, 120):
                status = 1
            kill_group(shot)
            print("screenshot: %s (chromium exit %s)" % (options.screenshot, shot.returncode), flush=True)
    scene.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
