#!/usr/bin/env python3
"""A webhook app as many real ones are: Python's http.server, HTTP/1.1 keep-alive, Nagle left on.

http.server writes the status line and headers in one send() (end_headers) and the body in a second send(); with
Nagle on (no TCP_NODELAY) the kernel holds that second, small segment until the client ACKs the first one, which
a client in delayed-ACK mode does only after its delayed-ACK timer (40 ms on Linux). Flask's development server
(werkzeug) and anything built on socketserver behave the same.

usage: nagle_app.py PORT ANNOUNCE_URL PROMPT_URL [--nodelay]
  --nodelay   set TCP_NODELAY on accepted connections (the fixed app, for comparison)
"""
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
ANNOUNCE, PROMPT = sys.argv[2], sys.argv[3]
NODELAY = "--nodelay" in sys.argv[4:]
DOCS = {
    "/reject": '<Response><Reject reason="busy"/></Response>',
    "/announce": f"<Response><Play>{ANNOUNCE}</Play><Hangup/></Response>",
    "/ivr": f'<Response><Gather numDigits="1" timeout="5" action="hangup.xml"><Play>{PROMPT}</Play></Gather>'
            "<Hangup/></Response>",
    "/hangup.xml": "<Response><Hangup/></Response>",
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"           # keep-alive
    disable_nagle_algorithm = NODELAY       # socketserver's switch for TCP_NODELAY (False by default)

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = DOCS.get(self.path.split("?")[0], "<Response><Hangup/></Response>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()                  # first send(): status line and headers
        self.wfile.write(body)              # second send(): the body

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
print("nagle app ready" + (" (TCP_NODELAY)" if NODELAY else ""), flush=True)
server.serve_forever()
