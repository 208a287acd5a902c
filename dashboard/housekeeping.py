"""Give memory back to the system once a busy spell is over.

Streamlit runs every page run in its own thread and, with ``runner.postScriptGC`` off (it cost more CPU than
the page itself under load), never collects in between. After many readers leave, the freed memory stays
with the process: Python's collector has not yet run over the last cycles, and glibc keeps freed blocks in
its arenas for reuse. Every ``INTERVAL`` seconds one daemon thread per server process runs a full collection
and asks glibc to return free pages (``malloc_trim``, where the C library has it). Measured in the load
section of docs/BENCHMARKS.md; it costs a few tens of milliseconds a minute.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading

import streamlit as st

INTERVAL = 30.0


def _trimmer():
    """glibc's ``malloc_trim``, or None on a C library without it (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def tidy(trim=None) -> None:
    """One round: a full collection, then free pages back to the system."""
    gc.collect()
    if trim is not None:
        trim(0)


def _loop(stop: threading.Event) -> None:
    trim = _trimmer()
    while not stop.wait(INTERVAL):
        tidy(trim)


@st.cache_resource(show_spinner=False)
def start() -> threading.Event:
    """Start the process's housekeeping thread (once: the first page run of the process starts it)."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="memory-housekeeping", daemon=True).start()
    return stop
