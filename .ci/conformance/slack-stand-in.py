#!/usr/bin/env python3
"""Stands in for Slack's incoming webhooks in the Alertmanager conformance test.

Listens on 127.0.0.1 (a free port), writes the port to PORT_FILE, and appends
each POST as one JSON line {"path": ..., "body": <the JSON payload>} to
LOG_FILE. Answers "ok" like Slack does.

Usage: slack-stand-in.py PORT_FILE LOG_FILE
"""
import http.server
import json
import sys

port_file, log_file = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"unparsed": raw.decode("utf-8", "replace")}
        with open(log_file, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "body": body}) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
