"""What a client may ask of the server over the websocket, and what the server tells every client.

Any program can open the websocket and send any of Streamlit's client messages, not only what the app's own
page sends. Streamlit honours several the app never needs: ``load_git_info`` runs several ``git`` commands
while the whole server process waits (tens of milliseconds each; a few a second stall every session) and
names the repository, branch and untracked files of the checkout; ``file_urls_request`` hands out upload
addresses; ``clear_cache`` empties every reader's caches; ``set_run_on_save`` and the two debug messages are
for development. Here the app serves an allow-list (``SERVED``) and refuses the rest, in two layers:

- In every server, from the moment this module is installed: the session ignores a refused message (no
  reply, nothing run), and notes it in the log at a limited rate (``dashboard/log_limit.py``).
- When the server is started by ``python -m dashboard.serve`` (``make run``, the replicas): the guard is
  in place before the first connection, and a websocket that sends a refused message is closed at once
  (code 1008), the debug messages included, so each attempt costs the client a new connection, which the
  proxy rate-limits.

Also: no uploads are stored (the app has no uploader); deferred downloads (CSV, PDF) run on a thread pool
of their own, sized so that PDFs waiting for the printer never hold up a CSV, and a download that could not
be made tells the reader why (``ReaderMessage``); every client is told no Python version, operating system or
machine-derived installation id.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.BackMsg_pb2 import BackMsg

from dashboard import log_limit, pdf

_LOGGER = logging.getLogger(__name__)

#: Client messages the app's page sends and the server serves; anything else is refused.
SERVED = frozenset({"rerun_script", "app_heartbeat", "stop_script", "backend_operation_request", "clear_cache"})
#: Of the backend operations: a download button's file made on click, and a large table's rows.
SERVED_OPERATIONS = frozenset({"deferred_file", "dataframe_chunk"})
#: Refused messages are tiny; a larger frame is left to Streamlit's own checks (size limit, then the session).
_INSPECTED_FRAME_BYTES = 64 * 1024
#: Threads for deferred downloads: every PDF that may print or wait (dashboard/pdf.py), plus four for the rest.
DOWNLOAD_THREADS = pdf.PRINTS_AT_ONCE + pdf.PRINT_QUEUE + 4
GENERIC_DOWNLOAD_FAILURE = "Failed to generate file for download"

_downloads = ThreadPoolExecutor(max_workers=DOWNLOAD_THREADS, thread_name_prefix="download")


class ReaderMessage(Exception):
    """A download that could not be made, with what to tell the reader (shown beside the button)."""


def refusal(message: BackMsg) -> str | None:
    """Why ``message`` is refused (its kind), or None if the app serves it."""
    kind = message.WhichOneof("type")
    if kind not in SERVED:
        return kind or "empty"
    if kind == "clear_cache" and _viewer_toolbar():
        return kind  # the caches are keyed on the dataset file: no reader ever needs to empty them
    if kind == "backend_operation_request":
        operation = message.backend_operation_request.WhichOneof("payload")
        if operation not in SERVED_OPERATIONS:
            return f"backend_operation_request.{operation}"
    return None


def refusal_of_frame(data: bytes) -> str | None:
    """``refusal`` of a raw websocket frame; None for what Streamlit itself checks (too large, malformed)."""
    if len(data) > _INSPECTED_FRAME_BYTES:
        return None
    message = BackMsg()
    try:
        message.ParseFromString(data)
    except Exception:  # Streamlit closes the connection for it (1002)
        return None
    return refusal(message)


def _viewer_toolbar() -> bool:
    from streamlit import config

    return config.get_option("client.toolbarMode") == "viewer"


def install(*, before_server_start: bool = False) -> None:
    """Put every guard in place (idempotent). With ``before_server_start``, also close websockets that send
    a refused message (this has to happen before Streamlit creates its routes)."""
    log_limit.install()
    _refuse_in_sessions()
    _refuse_uploads()
    _downloads_on_their_own_threads()
    _tell_clients_less()
    if before_server_start:
        _close_websockets_that_ask_for_refused_messages()


def _refuse_in_sessions() -> None:
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession.handle_backmsg, "dashboard_guard", False):
        return
    handle = AppSession.handle_backmsg

    def handle_backmsg(self, msg: BackMsg) -> None:
        kind = refusal(msg)
        if kind is not None:
            _LOGGER.warning("Refused a client message the app does not serve: %s", kind)
            return
        handle(self, msg)

    handle_backmsg.dashboard_guard = True
    AppSession.handle_backmsg = handle_backmsg


def _close_websockets_that_ask_for_refused_messages() -> None:
    from starlette.websockets import WebSocketDisconnect
    from streamlit.web.server.starlette import starlette_websocket

    if getattr(starlette_websocket.create_websocket_handler, "dashboard_guard", False):
        return
    create = starlette_websocket.create_websocket_handler

    def create_websocket_handler(runtime):
        endpoint = create(runtime)

        async def guarded_endpoint(websocket) -> None:
            receive_bytes = websocket.receive_bytes

            async def receive_served_bytes() -> bytes:
                data = await receive_bytes()
                kind = refusal_of_frame(data)
                if kind is not None:
                    _LOGGER.warning("Closed a websocket that sent a message the app does not serve: %s", kind)
                    await websocket.close(code=1008)  # policy violation
                    raise WebSocketDisconnect(code=1008)
                return data

            websocket.receive_bytes = receive_served_bytes
            await endpoint(websocket)

        return guarded_endpoint

    create_websocket_handler.dashboard_guard = True
    starlette_websocket.create_websocket_handler = create_websocket_handler


def _refuse_uploads() -> None:
    """The app has no uploader: nothing sent to the upload address is kept (``server.maxUploadSize = 0`` already
    refuses any file with content; this drops even an empty one)."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

    if getattr(MemoryUploadedFileManager.add_file, "dashboard_guard", False):
        return

    def add_file(self, session_id: str, file) -> None:
        _LOGGER.warning("Dropped an upload: the app takes no files")

    add_file.dashboard_guard = True
    MemoryUploadedFileManager.add_file = add_file


def _downloads_on_their_own_threads() -> None:
    """Deferred downloads run on ``_downloads``, not on the event loop's default pool (six threads on two
    cores, shared with everything else Streamlit hands to threads), and a ``ReaderMessage`` reaches the reader."""
    from streamlit.proto.ForwardMsg_pb2 import BackendOperationResponse, DeferredFileResponsePayload
    from streamlit.runtime.backend_operation_handler import DeferredFileHandler

    if getattr(DeferredFileHandler.handle, "dashboard_guard", False):
        return

    async def handle(self, request, session_id: str) -> BackendOperationResponse:
        file_id = request.deferred_file.file_id
        loop = asyncio.get_running_loop()
        try:
            url = await loop.run_in_executor(_downloads, self._get_media_file_mgr().execute_deferred, file_id)
        except Exception as exc:
            message = _reader_message(exc)
            if message is None:
                _LOGGER.exception("A deferred download failed")
                message = GENERIC_DOWNLOAD_FAILURE
            return BackendOperationResponse(request_id=request.request_id, error_msg=message)
        return BackendOperationResponse(
            request_id=request.request_id, deferred_file=DeferredFileResponsePayload(url=url)
        )

    handle.dashboard_guard = True
    DeferredFileHandler.handle = handle


def _reader_message(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ReaderMessage):
            return str(seen)
        seen = seen.__cause__
    return None


def _tell_clients_less() -> None:
    """Every new session is told the Streamlit version (its page needs it), but not the Python version, the
    operating system, or an installation id derived from the machine's id (a random one per process instead)."""
    from streamlit.runtime import app_session
    from streamlit.runtime.metrics_util import Installation

    if getattr(app_session.AppSession._create_new_session_message, "dashboard_guard", False):
        return
    anonymous = object.__new__(Installation)
    anonymous.installation_id_v3 = str(uuid.uuid4())
    anonymous.installation_id_v4 = str(uuid.uuid4())
    Installation._instance = anonymous
    create = app_session.AppSession._create_new_session_message

    def create_new_session_message(self, *args, **kwargs):
        msg = create(self, *args, **kwargs)
        environment = msg.new_session.initialize.environment_info
        environment.python_version = ""
        environment.server_os = ""
        return msg

    create_new_session_message.dashboard_guard = True
    app_session.AppSession._create_new_session_message = create_new_session_message
