"""Work done in a forked child process, which ends with it: the child has this process's memory (nothing is
pickled on the way in), only its answer comes back. Where a fork is not safe, the work is done here."""

from __future__ import annotations

import os
import threading

from toolkit.errors import ToolkitError


def can_fork() -> bool:
    """Whether a child can be forked here: the system forks, this process is no daemon (which may have no
    children), and no other thread runs (it could hold a lock the child then waits on for ever)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    import multiprocessing

    return not multiprocessing.current_process().daemon


def both(work, first: tuple, second: tuple) -> list:
    """[work(*first), work(*second)]: the first in a forked child while this process does the second, when
    the machine has a second core; a child that dies or hits a bug is this process's internal error."""
    if (os.cpu_count() or 1) < 2:
        return [work(*first), work(*second)]
    with Forked(work, *first) as theirs:
        mine = work(*second)
        return [theirs.result(), mine]


def in_child(work, *arguments):
    """work(*arguments) in a forked child process, which ends with it: what it read and built in memory goes
    with it, and only its answer comes back (pickled)."""
    with Forked(work, *arguments) as child:
        return child.result()


class Forked:
    """work(*arguments) started in a forked child (nothing pickled on the way in: the child has this process's
    memory), its answer sent back; where it cannot fork (`can_fork`), done in this process when asked for. A
    child that dies or hits a bug is this process's internal error. Used as a context manager, which ends the
    child."""

    def __init__(self, work, *arguments):
        self._call = (work, arguments)
        self._child = None
        if can_fork():
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, arguments, send, self._receive), daemon=True)
            try:
                child.start()
            except OSError:  # no process to be had (EAGAIN, ENOMEM): the work is done here
                self._receive.close()
            else:
                self._child = child
            send.close()

    def result(self):
        """The child's answer (waiting for it), or work(*arguments) here without fork."""
        if self._child is None:
            work, arguments = self._call
            return work(*arguments)
        try:
            kind, answer = self._receive.recv()  # before join: the answer may be larger than the pipe holds
        except EOFError:
            raise RuntimeError(f"the process for {self._call[0].__name__} ended without an answer") from None
        if kind == "refused":
            raise answer
        if kind == "bug":
            raise RuntimeError(answer)
        return answer

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exception) -> None:
        self.end(now=exception[0] is not None)

    def end(self, now: bool = False) -> None:
        """End the child: at once when `now` (an error or Ctrl-C here, or its answer no longer wanted), else
        once it has ended by itself (a few seconds at most)."""
        if self._child is None:
            return
        self._receive.close()
        if not now:
            self._child.join(timeout=5)
        if self._child.is_alive():
            self._child.kill()
        self._child.join()


def _child(work, arguments: tuple, send, receive) -> None:
    """In the forked process: work(*arguments) sent back, or the bug's description. Ctrl-C reaches the whole
    process group: the parent handles it (and ends this process), so this one ignores it; `kill` ends it quietly.
    Its copy of the parent's end of the pipe is closed first: when the parent is gone, sending fails at once
    instead of waiting for ever for a reader."""
    import signal

    receive.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        answer = ("ok", work(*arguments))
    except ToolkitError as error:  # refused input: raised again in the parent, problems and all
        answer = ("refused", error)
    except Exception as error:  # a bug: the parent reports it as its own internal error (exit 3)
        answer = ("bug", f"{type(error).__name__}: {error}")
    try:
        send.send(answer)
    except OSError:  # the parent is gone, or no longer wants the answer (BrokenPipeError)
        pass
    send.close()


class Shared:
    """work(chunk) for chunks 0 … count-1, shared between a forked child, which starts at once, and this
    process, once it asks for the results: each takes the next chunk no one has taken (a pipe of chunk numbers
    hands them out, a byte each). A process busy with other work meanwhile leaves every chunk to the child; one
    that asks at once does about half. Without `fork` (work too small to be worth a process), or where it cannot
    fork (`can_fork`), every chunk is done here at once; so it is while a child of this process still runs
    (the diff's other side): on two cores a second child would only slow both down. The work must be the same
    wherever it is done: a child that dies has its chunks done again here."""

    def __init__(self, work, count: int, fork: bool = True):
        if not 0 <= count <= 256:
            raise ValueError(f"{count} chunks: a pipe of one-byte chunk numbers hands out 0 to 256")
        self._work, self._count, self._child = work, count, None
        if not (fork and count and can_fork()) or _children_running():
            self._done = {number: work(number) for number in range(count)}
            return
        self._done = {}
        numbers, hand_out = os.pipe()
        os.write(hand_out, bytes(range(count)))  # 256 bytes at most: never more than the pipe holds
        os.close(hand_out)  # once every number is taken, reading finds the end: nothing left to do
        self._numbers = os.fdopen(numbers, "rb", buffering=0)  # closed with this object if never asked
        self._child = Forked(self._take_all)

    def _take_all(self) -> dict:
        """Work on each chunk not yet taken, by this process or the child: {chunk: its result}."""
        done = {}
        while number := self._numbers.read(1):
            done[number[0]] = self._work(number[0])
        return done

    def results(self) -> list:
        """Every chunk's result, in chunk order: the chunks left are done here while the child does its own.
        A child that died or hit a bug has its chunks done here (a bug is then raised here, traceback and all)."""
        if self._child is not None:
            child, self._child = self._child, None
            try:
                with child:
                    self._done.update(self._take_all())
                    try:
                        self._done.update(child.result())
                    except RuntimeError:  # killed (out of memory), or a bug: see below
                        pass
            finally:
                self._numbers.close()
        for number in range(self._count):
            if number not in self._done:
                self._done[number] = self._work(number)
        return [self._done[number] for number in range(self._count)]


def _children_running() -> bool:
    """Whether a child process of this one (multiprocessing's) is still running."""
    import multiprocessing

    return bool(multiprocessing.active_children())
