"""A small SMTP server on the loopback, refusing recipients the way mail servers refuse
addresses they cannot parse (501), so the real smtplib path of the app is exercised."""

import socketserver
import threading
import unicodedata


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 localhost test SMTP")
        in_data = False
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if in_data:
                if line == ".":
                    in_data = False
                    self.server.delivered.append(self.server.current)
                    self.reply("250 OK queued")
                continue
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "MAIL":
                self.server.current = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.partition(":")[2].strip()
                if any(unicodedata.category(c) == "Cc" for c in address):
                    self.reply("501 5.1.3 Bad recipient address syntax")
                else:
                    self.server.current.append(address.strip("<>"))
                    self.reply("250 OK")
            elif verb == "DATA":
                in_data = True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Session)
        self.delivered: list[list[str]] = []
        self.current: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
