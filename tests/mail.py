"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1), and what it received."""

import email
import socket
from contextlib import contextmanager


class Inbox:
    def __init__(self):
        self.messages = []
        self.refuse = False  # True: every recipient is refused, as a full mailbox or a bad address

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


@contextmanager
def smtp_server():
    """Yields (inbox, port) while a mail server listens on 127.0.0.1:port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
