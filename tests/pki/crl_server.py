#!/usr/bin/env python3
"""Loopback HTTP server for the online-CRL tests (tests/host/test_crl_online.sh).

crl_server.py ROOT PORTFILE LOGFILE
Serves the files under ROOT on 127.0.0.1 (a free port, written to PORTFILE).  Every
request line is appended to LOGFILE.  Behaviour per request, read from ROOT/.mode:
  normal    serve the file (404 if missing)
  redirect  302 to /real/PATH, which serves ROOT/PATH
  hang      accept the request and never answer
  tamper    serve the file with one byte of its last 64 bytes flipped (breaks the
            signature of a DER CRL; PEM files are converted to DER first)
"""
import base64
import http.server
import os
import re
import sys
import threading
import time

ROOT, PORTFILE, LOGFILE = sys.argv[1], sys.argv[2], sys.argv[3]
LOCK = threading.Lock()


def der_of(data):
    m = re.search(rb"-----BEGIN X509 CRL-----(.*?)-----END X509 CRL-----", data, re.S)
    return base64.b64decode(b"".join(m.group(1).split())) if m else data


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        with LOCK, open(LOGFILE, "a") as f:
            f.write("GET %s\n" % self.path)
        try:
            with open(os.path.join(ROOT, ".mode")) as f:
                mode = f.read().strip()
        except OSError:
            mode = "normal"
        path = self.path
        if path.startswith("/real/"):
            path, mode = path[5:], "normal"
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "/real" + path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "hang":
            time.sleep(120)
            return
        full = os.path.realpath(os.path.join(ROOT, path.lstrip("/")))
        if not full.startswith(os.path.realpath(ROOT) + os.sep) or not os.path.isfile(full):
            self.send_error(404)
            return
        with open(full, "rb") as f:
            body = f.read()
        if mode == "tamper":
            body = bytearray(der_of(body))
            body[-10] ^= 0x01
            body = bytes(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/pkix-crl")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
tmp = PORTFILE + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_address[1])
os.rename(tmp, PORTFILE)
srv.serve_forever()
