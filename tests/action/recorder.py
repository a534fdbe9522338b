#!/usr/bin/env python3
"""Stands in for the GitHub REST API's issue comments on 127.0.0.1.

    recorder.py DIR [SEED [MARKER]]

Serves, for any repository and issue number:

    GET   /repos/O/R/issues/N/comments?per_page=&page=   the comments, paged
    POST  /repos/O/R/issues/N/comments                   {"body"} -> 201
    PATCH /repos/O/R/issues/comments/ID                  {"body"} -> 200

and writes to DIR: `port` (once listening), `requests` (one JSON line per
request: method, path, authorization, body), `comments.json` (the
comments after each change).  SEED comments written by someone else come
first; the first of them starts with MARKER (default: the Action's for a
project at the top).  As on GitHub, a token with write access may edit
anyone's comment, so the Action must pick its own by its author.

    GET   /user    403 for the Actions token (an installation token has
                   no user); a token `user:LOGIN` gets {"login": LOGIN}

A request without
`Authorization: Bearer ...` is answered 401.  The server stops by itself
after 600 seconds or on GET /stop, whichever comes first.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LIFETIME = 600
OURS = "github-actions[bot]"


class State:
    def __init__(self, out, seed, marker):
        self.out = out
        self.lock = threading.Lock()
        self.comments = []
        self.next_id = 1000
        for i in range(seed):
            body = marker + "\nnot the Action's" if i == 0 else "comment %d" % i
            self.add(None, body, "someone")  # on every issue

    def add(self, issue, body, user):
        self.next_id += 1
        c = {"id": self.next_id, "issue": issue, "body": body,
             "user": {"login": user, "type": "Bot" if user == OURS else "User"}}
        self.comments.append(c)
        return c

    def save(self):
        path = os.path.join(self.out, "comments.json")
        with open(path + ".tmp", "w") as f:
            json.dump(self.comments, f, indent=1)
        os.replace(path + ".tmp", path)


class Handler(BaseHTTPRequestHandler):
    state = None

    def log_message(self, *args):
        pass

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self, method):
        st = self.state
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization") or ""
        with st.lock:
            with open(os.path.join(st.out, "requests"), "a") as f:
                f.write(json.dumps({"method": method, "path": self.path,
                                    "authorization": auth,
                                    "body": raw.decode("utf-8", "replace")}) + "\n")
        if url.path == "/stop":
            self.reply(200, {})
            threading.Thread(target=self.server.shutdown).start()
            return
        if not auth.startswith("Bearer ") or len(auth) <= 7:
            return self.reply(401, {"message": "Requires authentication"})
        body = None
        if raw:
            try:
                body = json.loads(raw).get("body")
            except (ValueError, AttributeError):
                return self.reply(400, {"message": "Problems parsing JSON"})
            # GitHub's limit of a comment's body.
            if isinstance(body, str) and len(body) > 65536:
                return self.reply(422, {"message": "Validation Failed",
                                        "errors": [{"code": "custom", "field": "body",
                                                    "message": "body is too long (maximum is 65536 characters)"}]})
        user = OURS
        if auth.startswith("Bearer user:"):
            user = auth[len("Bearer user:"):]
        if url.path == "/user":
            if user == OURS:
                return self.reply(403, {"message": "Resource not accessible by integration"})
            return self.reply(200, {"login": user})
        with st.lock:
            # /repos/O/R/issues/N/comments
            if len(parts) == 6 and parts[0] == "repos" and parts[3] == "issues" \
                    and parts[4].isdigit() and parts[5] == "comments":
                issue = int(parts[4])
                if method == "GET":
                    q = parse_qs(url.query)
                    per = min(int(q.get("per_page", ["30"])[0]), 100)
                    page = max(int(q.get("page", ["1"])[0]), 1)
                    mine = [c for c in st.comments if c["issue"] in (issue, None)]
                    shown = [{k: v for k, v in c.items() if k != "issue"}
                             for c in mine[(page - 1) * per:page * per]]
                    return self.reply(200, shown)
                if method == "POST" and isinstance(body, str):
                    c = st.add(issue, body, user)
                    st.save()
                    return self.reply(201, {k: v for k, v in c.items() if k != "issue"})
            # /repos/O/R/issues/comments/ID
            if len(parts) == 6 and parts[0] == "repos" and parts[3] == "issues" \
                    and parts[4] == "comments" and parts[5].isdigit() and method == "PATCH":
                for c in st.comments:
                    if c["id"] == int(parts[5]):
                        if not isinstance(body, str):
                            return self.reply(422, {"message": "Validation Failed"})
                        c["body"] = body
                        st.save()
                        return self.reply(200, {k: v for k, v in c.items() if k != "issue"})
                return self.reply(404, {"message": "Not Found"})
        self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_one("GET")

    def do_POST(self):
        self.handle_one("POST")

    def do_PATCH(self):
        self.handle_one("PATCH")


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    marker = sys.argv[3] if len(sys.argv) > 3 else "<!-- promptasm-check -->"
    Handler.state = State(out, seed, marker)
    Handler.state.save()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    timer = threading.Timer(LIFETIME, server.shutdown)
    timer.daemon = True
    timer.start()
    with open(os.path.join(out, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
    server.serve_forever()
    timer.cancel()


if __name__ == "__main__":
    main()
