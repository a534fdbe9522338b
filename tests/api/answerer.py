#!/usr/bin/env python3
"""A count_tokens endpoint that answers what a test tells it, on 127.0.0.1
only, for the hostile answers of tests/suites/run-count-api.sh.

    answerer.py DIR

Writes DIR/port once listening.  Each POST is answered 200 with the bytes
of DIR/answer, read afresh for each request, where the word LEN becomes
1000000 less the request body's length (so that a request with a section
is answered fewer tokens than one without it).  When DIR/nolength exists
the answer has no Content-Length (it ends when the connection closes).
Each request adds its path and query to DIR/requests.  The server stops by
itself after 600 seconds.
"""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        with open(os.path.join(DIR, "requests"), "a") as f:
            f.write(self.path + "\n")
        with open(os.path.join(DIR, "answer"), "rb") as f:
            answer = f.read()
        answer = answer.replace(b"LEN", str(1000000 - len(body)).encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if not os.path.exists(os.path.join(DIR, "nolength")):
            self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        try:
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(DIR, "port.tmp"), "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
threading.Timer(600, server.shutdown).start()
server.serve_forever()
