"""Real Redis failures for tests: a port where nothing listens, and a server that accepts but never answers.

``FrozenServer`` is what a client sees of a Redis stopped with SIGSTOP (or a
half-dead network path): the TCP connection is accepted and then nothing
comes back, ever.  Without socket timeouts a client waits forever on it.
"""
import socket
import threading
from contextlib import contextmanager


def dead_url() -> str:
    """A Redis URL on a local port that was free a moment ago: connecting is refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"redis://127.0.0.1:{port}/0"


class FrozenServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.sock.settimeout(0.2)
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, name="frozen-redis", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.held.append(conn)  # kept open, never read, never answered

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.sock.close()


@contextmanager
def failing_redis(kind: str):
    """``kind`` is ``"down"`` (connection refused) or ``"frozen"`` (accepts, never answers); yields its URL."""
    if kind == "down":
        yield dead_url()
        return
    server = FrozenServer()
    try:
        yield server.url
    finally:
        server.close()


@contextmanager
def publishing_to(url: str):
    """The web process publishes jobs to ``url`` (as ``broker_write_url``) instead of running them in-process."""
    from rectify_site.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    saved_url, saved_eager = app.conf.broker_write_url, app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.broker_write_url = url
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = saved_url
        app.conf.CELERY_TASK_ALWAYS_EAGER = saved_eager
        reset_pools()
