"""Work in a forked child: its answer, its refusal or its bug as here; done here where forking is not safe."""

from __future__ import annotations

import os
import threading
import time

import pytest

from toolkit import forked


def _refuse(problem_path: str):
    from toolkit.errors import InputError
    from toolkit.problems import Problem

    raise InputError("refused", [Problem("file_not_found", problem_path)])


def test_work_in_a_forked_child_answers_refuses_or_fails_as_here(monkeypatch):
    import os

    from toolkit.errors import InputError

    assert forked.in_child(os.getpid) != os.getpid()  # it ran in another process
    with pytest.raises(InputError) as refused:
        forked.in_child(_refuse, "members.xlsx")
    assert [problem.path for problem in refused.value.problems] == ["members.xlsx"]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        forked.in_child(divmod, 1, 0)
    monkeypatch.delattr(os, "fork")  # no fork: done here
    assert forked.in_child(os.getpid) == os.getpid()


def test_no_fork_beside_another_thread_or_in_a_daemon():
    """A child forked beside a running thread could wait for ever on a lock that thread held; a daemon process
    may have no children. Then the work is done here."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not forked.can_fork()
        assert forked.in_child(os.getpid) == os.getpid()
    finally:
        release.set()
        other.join()
    assert forked.can_fork()
    assert forked.in_child(forked.can_fork) is False  # the child is a daemon: it does its own work itself


def _large_answer_later() -> bytes:
    import time

    time.sleep(0.3)
    return b"x" * (1 << 20)  # far more than a pipe holds


def test_a_child_whose_answer_is_not_wanted_ends_at_once():
    """Its parent's end of the pipe closed, a child sending an answer larger than a pipe holds stops at once:
    it does not wait for ever for a reader (it closed its own copy of that end), nor until killed."""
    import time

    child = forked.Forked(_large_answer_later)
    started = time.monotonic()
    child.end()
    assert time.monotonic() - started < 3 and child._child.exitcode == 0  # ended by itself, not killed


def test_an_error_here_ends_the_child_at_once():
    import time

    started = time.monotonic()
    with pytest.raises(KeyError), forked.Forked(time.sleep, 30):
        raise KeyError("Ctrl-C or a refusal while the child works")
    assert time.monotonic() - started < 3


def _pid_and(chunk: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough for the child to start before this process has taken every chunk
    return os.getpid(), chunk * chunk


def test_shared_chunks_are_each_done_once_in_order_here_or_in_the_child(monkeypatch):
    shared = forked.Shared(_pid_and, 200)
    results = shared.results()
    assert [square for _, square in results] == [chunk * chunk for chunk in range(200)]
    assert {pid for pid, _ in results} - {os.getpid()}  # the child took some
    assert forked.Shared(_pid_and, 0).results() == []
    alone = forked.Shared(_pid_and, 5, fork=False).results()
    assert alone == [(os.getpid(), chunk * chunk) for chunk in range(5)]
    monkeypatch.delattr(os, "fork")  # no fork: all done here, at once
    assert {pid for pid, _ in forked.Shared(_pid_and, 9).results()} == {os.getpid()}
    with pytest.raises(ValueError):
        forked.Shared(_pid_and, 257)


def _dies_in_the_child(chunk: int) -> tuple[int, int]:
    if chunk == 3 and os.getpid() != _PARENT:
        os._exit(9)  # as an out-of-memory kill would end it
    return _pid_and(chunk)


_PARENT = os.getpid()


def test_a_shared_child_that_dies_has_its_chunks_done_here_and_nothing_leaks():
    before = len(os.listdir("/proc/self/fd"))
    shared = forked.Shared(_dies_in_the_child, 40)
    time.sleep(0.05)  # the child takes the first chunks, and dies at chunk 3
    assert [square for _, square in shared.results()] == [chunk * chunk for chunk in range(40)]
    assert shared.results() == shared.results()  # asked again: the same, nothing done twice
    forked.Shared(_pid_and, 5, fork=False)  # done at once: no pipe kept
    assert len(os.listdir("/proc/self/fd")) == before
