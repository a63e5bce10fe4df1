"""The served app over real HTTP: the suite's live server, and the waitress server under it."""

import socket
import threading

import pytest
import requests
from flask import Flask, request

from mockxero.serving import EmbeddedServer
from mockxero.traffic.gateway import SOCKET_KEY


def test_live_server_answers_over_real_http(live_server):
    response = requests.get(live_server + "/connections", timeout=5)
    assert response.status_code == 401
    assert response.json()["Detail"] == "AuthenticationUnsuccessful"


# --- the waitress server underneath (mockxero.serving) ------------------------------------------------------


def held_app(entered: threading.Event, release: threading.Event) -> Flask:
    """An app whose /held view waits until the test releases it, so a request can be held in flight."""
    app = Flask("held")

    @app.get("/held")
    def held():
        entered.set()
        assert release.wait(10)
        return "finished"

    @app.get("/cut")
    def cut():
        request.environ[SOCKET_KEY].shutdown(socket.SHUT_RDWR)
        raise ConnectionResetError("cut by the app")

    return app


def test_port_zero_picks_a_free_port_and_the_url_names_it():
    with EmbeddedServer(Flask("empty")) as server:
        assert server.port != 0 and server.url == f"http://127.0.0.1:{server.port}"
        assert requests.get(server.url + "/nowhere", timeout=5).status_code == 404


def test_stop_lets_a_request_in_flight_finish_and_refuses_new_connections():
    entered, release = threading.Event(), threading.Event()
    server = EmbeddedServer(held_app(entered, release)).start()
    answers: list[requests.Response] = []
    call = threading.Thread(target=lambda: answers.append(requests.get(server.url + "/held", timeout=10)))
    call.start()
    try:
        assert entered.wait(10)
        stopping = threading.Thread(target=server.stop)
        stopping.start()
        # stop() closes the listener before it waits for the request: a new connection is refused. A connect
        # that races the close can land in the backlog and be reset as the listener goes: refused as well.
        for _ in range(200):
            try:
                socket.create_connection((server.host, server.port), timeout=1).close()
            except (ConnectionRefusedError, ConnectionResetError):
                break
            threading.Event().wait(0.01)
        else:
            pytest.fail("the listener was still accepting after stop()")
        assert stopping.is_alive()  # still draining: the held request has not finished
    finally:
        # released even when an assertion failed, so the held call never outlives this test
        release.set()
        call.join(10)
    stopping.join(10)
    assert not stopping.is_alive()
    assert [(answer.status_code, answer.text) for answer in answers] == [(200, "finished")]


def test_an_app_that_cuts_the_connection_sends_no_answer_and_the_server_keeps_serving():
    with EmbeddedServer(held_app(threading.Event(), threading.Event())) as server:
        with pytest.raises(requests.ConnectionError):
            requests.get(server.url + "/cut", timeout=5)
        assert requests.get(server.url + "/nowhere", timeout=5).status_code == 404


def test_a_server_stopped_before_it_started_releases_its_port():
    server = EmbeddedServer(Flask("empty"))
    port = server.port
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def shapes_app() -> Flask:
    """Answers of each shape a WSGI app can give: one piece with a length, a stream, no body at all."""
    app = Flask("shapes")

    @app.get("/whole")
    def whole():
        return "all of it at once"

    @app.get("/streamed")
    def streamed():
        return app.response_class((piece for piece in ["first ", "second"]), mimetype="text/plain")

    return app


@pytest.fixture
def sends(monkeypatch):
    """What the worker hands the connection to send, call by call."""
    from mockxero.serving import _Channel

    handed: list[bytes] = []
    original = _Channel.write_soon

    def recording_write_soon(channel, data):
        handed.append(bytes(data))
        return original(channel, data)

    monkeypatch.setattr(_Channel, "write_soon", recording_write_soon)
    return handed


def test_an_answer_in_one_piece_is_sent_with_its_header_in_one_write(sends):
    with EmbeddedServer(shapes_app()) as server:
        answer = requests.get(server.url + "/whole", timeout=5)
    assert (answer.status_code, answer.text) == (200, "all of it at once")
    assert len(sends) == 1 and sends[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert sends[0].endswith(b"\r\n\r\nall of it at once")


def test_a_streamed_answer_and_a_head_answer_are_written_as_waitress_writes_them(sends):
    with EmbeddedServer(shapes_app()) as server:
        streamed = requests.get(server.url + "/streamed", timeout=5)
        head = requests.head(server.url + "/whole", timeout=5)
    assert (streamed.status_code, streamed.text) == (200, "first second")
    assert (head.status_code, head.text, head.headers["Content-Length"]) == (200, "", "17")
    assert len(sends) > 2  # the header, then each piece of the stream, then the HEAD answer's header
    assert not any(b"all of it" in data for data in sends)  # a HEAD answer carries no body
