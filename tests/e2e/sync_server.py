"""A CouchDB-compatible server for the Team sync tests (and benchmarks): pouchdb-server.

Standard library only. Used by tests/e2e/test_sync.py as a module-scoped fixture and by
scripts that want a throwaway desk to sync with::

    with SyncServer() as server:          # starts, seeds on first start
        print(server.url)                 # http://127.0.0.1:PORT
        server.stop()                     # the app now sees the server gone
        server.restart()                  # same port, same data dir: data kept
        server.conflicts()                # ids in `desk` with _conflicts
        server.reset_db()                 # `desk` empty again (members kept)

Run ``python3 tests/e2e/sync_server.py`` for a self-test that starts a server, seeds it,
checks what is described below, restarts it, checks that the data persisted and stops.

The server
  ``<repo>/.tools/node_modules/.bin/pouchdb-server --host 127.0.0.1 --port P --dir D
  --config D/config.json`` (pouchdb-server 4.2.0, express-pouchdb 4.2.0, LevelDB files in
  D). Its output goes to D/server.out, its CouchDB-style log to D/log.txt. It binds
  127.0.0.1 only.

config.json (written before the first start; pouchdb-server hashes the admin password
in it on load)
  admins.admin = "adminpw"; couch_httpd_auth.secret is fixed, so a session cookie issued
  before restart() is still valid after it (pouchdb-server's default secret is random
  per process, which would sign everybody out on restart); couch_httpd_auth.timeout is
  one hour.

CORS: how pouchdb-server applies it (read in pouchdb-server/lib/cors.js, corser 2.0.1)
  Not express-pouchdb: pouchdb-server's own middleware builds a `corser` handler from the
  config and rebuilds it whenever one of these keys changes:
    httpd.enable_cors   truthy -> on (its default is already true)
    cors.origins        "*" -> any origin, else split on ", " (exact matches)
    cors.credentials    must be the JSON boolean true (corser tests `=== true`); the
                        string "true", as `PUT /_config/cors/credentials` would store
                        it, silently turns credentials off. So it is set in config.json.
    cors.methods        split on ", "
    cors.headers        split on ", ", lowercased (allowed request headers)
  With credentials on, corser echoes the request's Origin in Access-Control-Allow-Origin
  (also for origins "*") and adds Access-Control-Allow-Credentials: true, on preflights
  (answered 204 without reaching the app) and on actual requests. A preflight asking
  for a method or header not in the lists gets a 204 WITHOUT CORS headers (the browser
  then refuses). Observed (self-test):
    OPTIONS /desk (Origin, Access-Control-Request-Method: PUT,
      Access-Control-Request-Headers: content-type, authorization)
      -> 204, Allow-Origin = the Origin, Allow-Credentials = true,
         Allow-Methods = GET,HEAD,POST,PUT,DELETE,COPY,
         Allow-Headers = accept,authorization,content-type,origin,referer
    GET /desk with Origin and alice's cookie -> 200, the same two headers.

Seed (first start only; the data dir remembers it in D/seeded, and each step tolerates
409 so seeding again would be harmless)
  database `desk`; users alice/"alice-pw", bob/"bob-pw" (members of desk) and
  carol/"carol-pw" (not a member) in `_users`; `PUT /desk/_security`
  {"admins": {"names": [], "roles": []}, "members": {"names": ["alice", "bob"], "roles": []}}.

Observed (pouchdb-server 4.2.0; the self-test checks each of these):
  GET /                          -> 200 {"express-pouchdb": "Welcome!", "version": "4.2.0",
                                    "pouchdb-adapters": ["leveldb"], "vendor": {...},
                                    "uuid": "..."}: the key is "express-pouchdb", there is
                                    NO "couchdb" key (CouchDB says {"couchdb": "Welcome"}).
  GET /desk anonymous            -> 401 {"error": "unauthorized", ...}
  POST /_session carol, then GET /desk with her cookie
                                 -> 401 {"error": "unauthorized"} (CouchDB 3 says 403
                                    forbidden here; pouchdb-server says 401)
  POST /_session alice, GET /desk with her cookie -> 200
  POST /_session with a wrong password -> 401 {"error": "unauthorized",
                                    "reason": "Name or password is incorrect."}
  After restart() (SIGTERM or SIGKILL; about 0.3 s): alice's old cookie still works, alice can log in again, and the
  documents written before are still there.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / ".tools" / "node_modules" / ".bin" / "pouchdb-server"

ADMIN = ("admin", "adminpw")
DB = "desk"
USERS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw"}
MEMBERS = ("alice", "bob")
SECRET = "e2e-team-sync-fixed-secret-0123456789abcdef"
CORS_HEADERS = "accept, authorization, content-type, origin, referer"
CORS_METHODS = "GET, HEAD, POST, PUT, DELETE, COPY"


class SyncServerError(RuntimeError):
    pass


class Response:
    """An HTTP answer: status, headers (lower-case names), raw body and its JSON (or None)."""

    def __init__(self, status: int, headers: dict, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            self.json = None

    def cookie(self, name: str = "AuthSession") -> str | None:
        """The value of a Set-Cookie of that name, e.g. the session cookie."""
        for raw in self.headers.get("set-cookie", []):
            first = raw.split(";", 1)[0]
            k, _, v = first.partition("=")
            if k.strip() == name:
                return v.strip()
        return None

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# No proxies (the server is on loopback only) and no redirects.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def http(method: str, url: str, body=None, headers: dict | None = None, timeout: float = 10) -> Response:
    """One request without cookies jar or proxies; `body` is sent as JSON unless bytes."""
    data = None
    hdrs = {"Accept": "application/json"}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        resp = _opener.open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        resp = e
    with resp:
        raw = resp.read()
        h: dict = {}
        for k, v in resp.headers.items():
            k = k.lower()
            if k == "set-cookie":
                h.setdefault(k, []).append(v)
            else:
                h[k] = v
        return Response(resp.status if hasattr(resp, "status") else resp.code, h, raw)



class SyncServer:
    """pouchdb-server on 127.0.0.1 with a seeded `desk` (see the module docstring)."""

    def __init__(self, data_dir: str | Path | None = None, port: int | None = None,
                 binary: str | Path | None = None, start_timeout: float = 20.0):
        self.binary = Path(binary) if binary else BINARY
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="e2e-couch-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self._out = None

    # -- life
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_url(self) -> str:
        return f"{self.url}/{DB}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.out"

    def _write_config(self):
        cfg = self.data_dir / "config.json"
        if cfg.exists():
            return  # keeps the hashed admin password and everything else
        config = {
            "admins": {ADMIN[0]: ADMIN[1]},
            "httpd": {"enable_cors": True},
            "cors": {"origins": "*", "credentials": True, "methods": CORS_METHODS, "headers": CORS_HEADERS},
            "couch_httpd_auth": {"secret": SECRET, "timeout": 3600},
            "log": {"file": str(self.data_dir / "log.txt"), "level": "info"},
        }
        cfg.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    def start(self) -> "SyncServer":
        if self.running:
            return self
        if not self.binary.exists():
            raise SyncServerError(
                f"pouchdb-server is missing at {self.binary}: install it with "
                "`npm install --prefix .tools --ignore-scripts pouchdb-server@4.2.0`"
            )
        self._write_config()
        self._out = open(self.log_path, "ab")
        self._out.write(f"\n=== start {time.strftime('%H:%M:%S')} port {self.port}\n".encode())
        self._out.flush()
        cmd = [str(self.binary), "--host", "127.0.0.1", "--port", str(self.port),
               "--dir", str(self.data_dir), "--config", str(self.data_dir / "config.json")]
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env["NO_COLOR"] = "1"
        self.proc = subprocess.Popen(cmd + ["--no-color"], cwd=self.data_dir, stdin=subprocess.DEVNULL,
                                     stdout=self._out, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        self._wait_up()
        if not (self.data_dir / "seeded").exists():
            self.seed()
            (self.data_dir / "seeded").write_text("seeded\n")
        return self

    def _wait_up(self):
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SyncServerError(f"pouchdb-server exited with {self.proc.returncode}; log:\n{self.tail()}")
            try:
                r = http("GET", self.url + "/", timeout=2)
                if r.status == 200:
                    return
                last = r
            except OSError as e:
                last = e
            time.sleep(0.1)
        self.stop()
        raise SyncServerError(f"pouchdb-server did not answer GET / within {self.start_timeout}s ({last}); log:\n{self.tail()}")

    def stop(self, kill: bool = False, timeout: float = 10.0):
        """Stops the server process (SIGTERM, or SIGKILL with kill=True, as a crash) and
        waits for it to exit. Data stays in data_dir."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout)
        if self._out:
            self._out.close()
            self._out = None
        # the port answers nothing any more
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    pass
            except OSError:
                return
            time.sleep(0.05)

    def restart(self, kill: bool = False) -> "SyncServer":
        self.stop(kill=kill)
        return self.start()

    def close(self):
        """Stops the server and removes the data dir if this object made it."""
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    # -- requests
    def request(self, method: str, path: str, body=None, auth: tuple | None = None,
                cookie: str | None = None, headers: dict | None = None) -> Response:
        h = dict(headers or {})
        if auth:
            h["Authorization"] = basic(*auth)
        if cookie:
            h["Cookie"] = f"AuthSession={cookie}"
        return http(method, self.url + path, body, h)

    def admin(self, method: str, path: str, body=None, ok=(200, 201, 202)) -> Response:
        r = self.request(method, path, body, auth=ADMIN)
        if ok and r.status not in ok:
            raise SyncServerError(f"{method} {path} as admin -> {r.status} {r.body[:300]!r}")
        return r

    def admin_get(self, path: str):
        """GET `path` as the server admin; its JSON."""
        return self.admin("GET", path).json

    def login(self, user: str, password: str) -> Response:
        """POST /_session; the response (its .cookie() is the session)."""
        return self.request("POST", "/_session", {"name": user, "password": password})

    def seed(self):
        def put(path, body=None):
            r = self.request("PUT", path, body, auth=ADMIN)
            if r.status not in (200, 201, 202, 409, 412):  # 409/412: already there
                raise SyncServerError(f"seed: PUT {path} -> {r.status} {r.body[:300]!r}")

        put(f"/{DB}")
        for name, pw in USERS.items():
            put(f"/_users/org.couchdb.user:{name}", {"_id": f"org.couchdb.user:{name}", "name": name,
                                                     "password": pw, "roles": [], "type": "user"})
        self.admin("PUT", f"/{DB}/_security",
                   {"admins": {"names": [], "roles": []}, "members": {"names": list(MEMBERS), "roles": []}})

    def reset_db(self):
        """`desk` deleted and made again, empty, with its members (users stay)."""
        self.admin("DELETE", f"/{DB}", ok=(200, 202, 404))
        self.admin("PUT", f"/{DB}")
        self.admin("PUT", f"/{DB}/_security",
                   {"admins": {"names": [], "roles": []}, "members": {"names": list(MEMBERS), "roles": []}})

    # -- the desk, as the tests look at it
    def all_docs(self) -> list[dict]:
        rows = self.admin_get(f"/{DB}/_all_docs?include_docs=true&conflicts=true")["rows"]
        return [r["doc"] for r in rows if "doc" in r and r["doc"] is not None]

    def docs(self) -> list[dict]:
        """The live (not deleted) documents of `desk`, design documents left out."""
        return [d for d in self.all_docs() if not d["_id"].startswith("_design/")]

    def conflicts(self) -> list[str]:
        """Ids of the documents of `desk` that have conflicting revisions."""
        return [d["_id"] for d in self.all_docs() if d.get("_conflicts")]

    def doc_count(self) -> int:
        return self.admin_get(f"/{DB}")["doc_count"]


# --------------------------------------------------------------------------- self-test


def _check(results: list, what: str, ok: bool, seen):
    results.append((ok, what, seen))
    print(f"  [{'ok' if ok else 'FAIL'}] {what}: {seen}")


def verify(server: SyncServer, origin: str = "http://127.0.0.1:8123") -> list:
    """Checks the seeded server as the app will use it; prints and returns (ok, what, seen)."""
    res: list = []
    root = server.request("GET", "/")
    _check(res, "GET / welcome key", root.status == 200 and root.json.get("express-pouchdb") == "Welcome!"
           and "couchdb" not in root.json, root.json)
    r = server.request("GET", f"/{DB}")
    _check(res, "anonymous GET /desk -> 401", r.status == 401, (r.status, r.json))
    wrong = server.login("alice", "nope")
    _check(res, "wrong password POST /_session -> 401", wrong.status == 401, (wrong.status, wrong.json))
    carol = server.login("carol", USERS["carol"])
    _check(res, "carol logs in", carol.status == 200 and carol.cookie(), (carol.status, carol.json))
    r = server.request("GET", f"/{DB}", cookie=carol.cookie())
    _check(res, "carol (not a member) GET /desk -> 401 or 403", r.status in (401, 403), (r.status, r.json))
    alice = server.login("alice", USERS["alice"])
    _check(res, "alice logs in", alice.status == 200 and alice.cookie(), (alice.status, alice.json))
    r = server.request("GET", f"/{DB}", cookie=alice.cookie())
    _check(res, "alice GET /desk -> 200", r.status == 200, (r.status, (r.json or {}).get("db_name")))
    bob = server.login("bob", USERS["bob"])
    r = server.request("GET", f"/{DB}", cookie=bob.cookie())
    _check(res, "bob GET /desk -> 200", r.status == 200, r.status)
    # CORS, as a browser on another loopback origin asks
    pre = server.request("OPTIONS", f"/{DB}", headers={
        "Origin": origin, "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type, authorization"})
    h = pre.headers
    _check(res, "preflight echoes origin with credentials",
           pre.status in (200, 204) and h.get("access-control-allow-origin") == origin
           and h.get("access-control-allow-credentials") == "true",
           (pre.status, {k: v for k, v in h.items() if k.startswith("access-control")}))
    pre2 = server.request("OPTIONS", f"/{DB}/_session", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    _check(res, "preflight POST /_session", pre2.headers.get("access-control-allow-origin") == origin, pre2.status)
    g = server.request("GET", f"/{DB}", cookie=alice.cookie(), headers={"Origin": origin})
    _check(res, "credentialed GET echoes origin",
           g.status == 200 and g.headers.get("access-control-allow-origin") == origin
           and g.headers.get("access-control-allow-credentials") == "true",
           (g.status, {k: v for k, v in g.headers.items() if k.startswith("access-control")}))
    return res


def main() -> int:
    t0 = time.monotonic()
    results: list = []
    with SyncServer() as server:
        print(f"pouchdb-server at {server.url}, data {server.data_dir} (started in {time.monotonic() - t0:.1f}s)")
        results += verify(server)
        alice = server.login("alice", USERS["alice"]).cookie()
        for i in range(3):
            r = server.request("PUT", f"/{DB}/selftest-{i}", {"n": i}, cookie=alice)
            _check(results, f"alice writes selftest-{i}", r.status == 201, r.status)
        # a conflict, made on purpose with new_edits=false, then gone
        r = server.admin("POST", f"/{DB}/_bulk_docs", {"new_edits": False, "docs": [
            {"_id": "selftest-0", "_rev": "1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "n": "other"}]})
        _check(results, "conflicts() sees a conflict", server.conflicts() == ["selftest-0"], server.conflicts())
        server.admin("DELETE", f"/{DB}/selftest-0?rev=1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        _check(results, "conflicts() empty after resolution", server.conflicts() == [], server.conflicts())
        t1 = time.monotonic()
        server.restart()
        print(f"restarted on the same port in {time.monotonic() - t1:.1f}s")
        _check(results, "same port after restart", server.url.endswith(str(server.port)), server.url)
        r = server.request("GET", f"/{DB}", cookie=alice)
        _check(results, "alice's old cookie after restart -> 200", r.status == 200, r.status)
        again = server.login("alice", USERS["alice"])
        _check(results, "alice logs in after restart", again.status == 200, again.status)
        ids = sorted(d["_id"] for d in server.docs())
        _check(results, "docs persisted", ids == ["selftest-0", "selftest-1", "selftest-2"], ids)
        results += verify(server)
        t2 = time.monotonic()
        server.restart(kill=True)
        print(f"killed (SIGKILL) and restarted in {time.monotonic() - t2:.1f}s")
        ids = sorted(d["_id"] for d in server.docs())
        _check(results, "docs persisted after SIGKILL", ids == ["selftest-0", "selftest-1", "selftest-2"], ids)
        pid = None
        if server.proc:
            pid = server.proc.pid
    if pid is not None:
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        _check(results, "server process gone after close()", not alive, pid)
    failed = [r for r in results if not r[0]]
    print(f"{len(results) - len(failed)}/{len(results)} checks passed in {time.monotonic() - t0:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
